package dev.keyescrow.cli.chaos;

/**
 * What a run is asked to do: minutes of operations, the seed of its faults and operation
 * choices, the mean gap between faults, how many workers drive operations at once, and
 * whether full-disk faults (they mount a tmpfs: root only) and clock skews are planned.
 */
public record ChaosSettings(double minutes, long seed, int faultGapSeconds, int workers, boolean fullDisk,
                            boolean skew) {
    public static final int NODES = 5;

    public ChaosSettings {
        if (!(minutes > 0 && minutes <= 24 * 60) || faultGapSeconds < 1 || faultGapSeconds > 3600 || workers < 1
                || workers > 16) {
            throw new IllegalArgumentException("--minutes must be above 0 and at most 1440, --fault-gap from 1 to"
                    + " 3600 seconds, --workers from 1 to 16");
        }
    }

    public ChaosSettings(double minutes, long seed, int faultGapSeconds, int workers, boolean fullDisk) {
        this(minutes, seed, faultGapSeconds, workers, fullDisk, false);
    }

    long durationMillis() {
        return (long) (minutes * 60_000);
    }

    FaultSchedule schedule() {
        return FaultSchedule.plan(seed, durationMillis(), faultGapSeconds * 1000L, NODES, fullDisk, skew);
    }
}
