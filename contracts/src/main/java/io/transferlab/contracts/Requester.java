package io.transferlab.contracts;

/**
 * Who asked for something: the name of the gateway API key that submitted a run or study (or asks to publish over a
 * model, or to cancel), and whether that key holds the {@code admin} role. Runs, studies and models record the
 * name as their {@code owner}; this is the one rule, used by the gateway's up-front answers, by the trainer's
 * model store at publish time and by the trainer and tuner when a cancel arrives, that says whether a requester
 * may act on something owned.
 *
 * @param keyName the API key's name (the gateway's security principal); null when unknown (a request from before
 *        owners were recorded)
 * @param admin the key held the {@code admin} role, which may act on what other keys own
 */
public record Requester(String keyName, boolean admin) {

    /** A requester nobody knows: may act only on what has no owner. */
    public static final Requester UNKNOWN = new Requester(null, false);

    /** Key names are free text in the keys file; a recorded owner is at most this long. */
    public static final int MAX_KEY_NAME_LENGTH = 128;

    /**
     * The requester a message names in its optional fields (a control's {@code requester} /
     * {@code requesterIsAdmin}). A message that names no key is {@link #UNKNOWN} whatever its admin flag says: a
     * version-1 message, or one whose sender is not known, may act only on what has no owner.
     */
    public static Requester fromMessage(String keyName, Boolean admin) {
        return keyName == null ? UNKNOWN : new Requester(keyName, Boolean.TRUE.equals(admin));
    }

    /**
     * True when {@code owner} (of a model, run or study) lets this requester act: nothing owns it (recorded before
     * owners existed), the requester owns it, or the requester is an admin.
     */
    public boolean mayActOn(String owner) {
        return owner == null || admin || owner.equals(keyName);
    }

    /** How logs name this requester: its key, or that a message named nobody (schema version 1). */
    public String describe() {
        return keyName == null ? "an unknown sender (a message that names no key)" : "key '" + keyName + "'";
    }

    /**
     * Why a publish into {@code modelId} is refused. It does not name the owner: the answer goes to a caller who
     * is not that key (HTTP 409) and into the run's recorded error, which every key can read.
     */
    public static String modelOwnedByAnotherKey(String modelId) {
        return "model '" + modelId + "' belongs to another key: publish under another model id, or ask a key with "
                + "the admin role";
    }
}
