package io.transferlab.gateway.security;

/** The roles an API key can carry. */
public final class Roles {

    /** May classify images and read classification results. */
    public static final String CLASSIFY = "classify";
    /** May start and cancel trainings and tunings, and upload data sets. */
    public static final String TRAIN = "train";
    /**
     * May act on what other keys own: cancel their runs and studies, and publish new versions of their models
     * (the new version then belongs to the admin key). Grants nothing else: an admin key still needs {@link #TRAIN}
     * to start or cancel anything.
     */
    public static final String ADMIN = "admin";

    private Roles() {
    }
}
