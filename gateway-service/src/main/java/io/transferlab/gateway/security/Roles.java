package io.transferlab.gateway.security;

/** The roles an API key can carry. */
public final class Roles {

    /** May classify images and read classification results. */
    public static final String CLASSIFY = "classify";
    /** May start and cancel trainings and tunings, and upload data sets. */
    public static final String TRAIN = "train";

    private Roles() {
    }
}
