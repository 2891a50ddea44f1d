package io.transferlab.contracts;

/**
 * Message formats evolve additively: new optional fields raise {@link #CURRENT}; a consumer accepts any version
 * up to its own and rejects newer ones with a clear reason instead of misreading them.
 *
 * <ul>
 * <li>1: the first format.</li>
 * <li>2: owners: {@code TrainRequest.owner} / {@code ownerIsAdmin}, {@code TuneRequest.owner} /
 * {@code ownerIsAdmin}, {@code ModelPublished.owner}; cancels' senders: {@code TrainControl.requester} /
 * {@code requesterIsAdmin}, {@code TuneControl.requester} / {@code requesterIsAdmin}; pins:
 * {@code ClassifyRequest.modelVersion} ({@code model=digits@3}) and the new message {@code ModelAliasChanged}.
 * Version 1 messages read with no owner, unpinned, and as controls from an unknown sender (which cancel only what
 * has no owner).</li>
 * </ul>
 */
public final class SchemaVersion {

    public static final int CURRENT = 2;

    private SchemaVersion() {
    }
}
