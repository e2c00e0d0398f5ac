package dev.keyescrow.node.cluster;

import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.wire.DkgCallMessage;
import dev.keyescrow.core.wire.DkgComplaintMessage;
import dev.keyescrow.core.wire.DkgPackageMessage;
import dev.keyescrow.core.wire.DkgResultMessage;
import dev.keyescrow.core.wire.DkgShareMessage;
import dev.keyescrow.node.approval.NodeService;
import dev.keyescrow.node.vault.DkgRounds;
import dev.keyescrow.node.vault.NodeVault;

/**
 * A distributed key generation's messages: the coordinator's call, the participants' round-one
 * packages, round-two shares and complaints go to this node's {@link DkgRounds}; what its
 * participants produce is published. Nothing of a DKG is journaled before the import.
 */
final class DkgMessages {
    private final NodeService service;
    private final NodeVault vault;
    private final NodeMaps maps;
    private final MapIntake intake;
    private final Refusals refusals;
    private final DkgRounds.Outbox outbox = new Outbox();

    DkgMessages(NodeService service, NodeVault vault, NodeMaps maps, MapIntake intake, Refusals refusals) {
        this.service = service;
        this.vault = vault;
        this.maps = maps;
        this.intake = intake;
        this.refusals = refusals;
    }

    /**
     * A DKG call: this node's participants start round one, then read what the ceremony's maps
     * hold already (messages that arrived before the call). A node that finds its own package
     * published already restarted mid-ceremony and stays out: the ceremony is rolled back.
     */
    void onCall(byte[] value) {
        try {
            var call = DkgCallMessage.decode(value);
            var dkg = vault.dkg();
            if (!dkg.isCalled(call)) {
                return;
            }
            boolean rejoin = call.holders().stream().anyMatch(h -> h.nodeId().equals(service.nodeId())
                    && maps.dkgPackages.containsKey(call.ceremonyId() + "/" + h.index()));
            dkg.onCall(call, rejoin, outbox);
            int n = call.holders().size();
            for (int i = 1; i <= n; i++) {
                intake.readOne(maps.dkgComplaints, call.ceremonyId() + "/" + i, this::onComplaint);
                intake.readOne(maps.dkgPackages, call.ceremonyId() + "/" + i, this::onPackage);
            }
            for (var h : call.holders()) {
                if (h.nodeId().equals(service.nodeId())) {
                    for (int s = 1; s <= n; s++) {
                        if (s != h.index()) {
                            intake.readOne(maps.dkgShares, call.ceremonyId() + "/" + s + "/" + h.index(),
                                    this::onShare);
                        }
                    }
                }
            }
        } catch (KeyEscrowException e) {
            refusals.refuse("dkg call", e);
        }
    }

    void onPackage(byte[] value) {
        try {
            vault.dkg().onPackage(DkgPackageMessage.decode(value), outbox);
        } catch (KeyEscrowException e) {
            refusals.refuse("dkg package", e);
        }
    }

    void onShare(byte[] value) {
        try {
            vault.dkg().onShare(DkgShareMessage.decode(value), outbox);
        } catch (KeyEscrowException e) {
            refusals.refuse("dkg share", e);
        }
    }

    void onComplaint(byte[] value) {
        try {
            vault.dkg().onComplaint(DkgComplaintMessage.decode(value));
        } catch (KeyEscrowException e) {
            refusals.refuse("dkg complaint", e);
        }
    }

    /** Publishes what this node's DKG participants produce. */
    private final class Outbox implements DkgRounds.Outbox {
        @Override
        public void packageReady(DkgPackageMessage message) {
            maps.dkgPackages.set(message.key(), message.encode());
        }

        @Override
        public void shareReady(DkgShareMessage message) {
            maps.dkgShares.set(message.key(), message.encode());
        }

        @Override
        public void resultReady(DkgResultMessage message) {
            maps.dkgResults.set(message.key(), message.encode());
        }

        @Override
        public void complaintReady(DkgComplaintMessage message) {
            maps.dkgComplaints.set(message.key(), message.encode());
        }
    }
}
