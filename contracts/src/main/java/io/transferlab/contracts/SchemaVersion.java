package io.transferlab.contracts;

/**
 * Message formats evolve additively: new optional fields raise {@link #CURRENT}; a consumer accepts any version
 * up to its own and rejects newer ones with a clear reason instead of misreading them.
 */
public final class SchemaVersion {

    public static final int CURRENT = 1;

    private SchemaVersion() {
    }
}
