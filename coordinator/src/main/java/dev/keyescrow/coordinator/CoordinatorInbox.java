package dev.keyescrow.coordinator;

import dev.keyescrow.coordinator.ceremony.DkgCeremony;
import dev.keyescrow.coordinator.ceremony.KeyCeremony;
import dev.keyescrow.coordinator.cluster.ClusterInbox;
import dev.keyescrow.coordinator.quorum.RequestWorkflow;

/** Routes cluster input to the ceremony, the distributed key generation and the request workflow. */
record CoordinatorInbox(KeyCeremony ceremony, RequestWorkflow workflow,
        DkgCeremony dkg) implements ClusterInbox {
    @Override
    public void dkgPackage(byte[] value) {
        dkg.onPackage(value);
    }

    @Override
    public void dkgResult(byte[] value) {
        dkg.onResult(value);
    }

    @Override
    public void dkgComplaint(byte[] value) {
        dkg.onComplaint(value);
    }

    @Override
    public void importReceipt(byte[] value) {
        ceremony.onReceipt(value);
    }

    @Override
    public void answer(byte[] value) {
        workflow.onAnswer(value);
    }

    @Override
    public void release(byte[] value) {
        workflow.onRelease(value);
    }

    @Override
    public void releases(java.util.List<byte[]> values) {
        workflow.onReleases(values);
    }

    @Override
    public void shredReceipt(byte[] value) {
        workflow.onShred(value);
    }

    @Override
    public void rollbackReceipt(byte[] value) {
        ceremony.onRollbackReceipt(value);
    }

    @Override
    public void frostCommitment(byte[] value) {
        workflow.onFrostCommitment(value);
    }

    @Override
    public void frostShare(byte[] value) {
        workflow.onFrostShare(value);
    }
}
