package io.transferlab.contracts;

/**
 * Message formats evolve additively: new optional fields raise {@link #CURRENT}; a consumer accepts any version
 * up to its own and rejects newer ones with a clear reason instead of misreading them.
 *
 * <ul>
 * <li>1: the first format.</li>
 * <li>2: {@code ClassifyRequest.modelVersion} (a pinned version, {@code model=digits@3}) and the new message
 * {@code ModelAliasChanged}. Version 1 requests read as unpinned.</li>
 * </ul>
 */
public final class SchemaVersion {

    public static final int CURRENT = 2;

    private SchemaVersion() {
    }
}
