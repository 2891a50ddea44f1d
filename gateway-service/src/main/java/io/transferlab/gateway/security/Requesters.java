package io.transferlab.gateway.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.transferlab.contracts.Requester;

/** The caller of a request as the ownership rule sees it: its key's name and whether the key holds {@code admin}. */
public final class Requesters {

    private Requesters() {
    }

    /**
     * With key checks switched off every caller is {@code security-disabled} with every role, {@code admin}
     * included: ownership is recorded under that name but never stops anyone.
     */
    public static Requester of(SecurityIdentity identity) {
        String name = identity.isAnonymous() || identity.getPrincipal() == null ? null
                : identity.getPrincipal().getName();
        return new Requester(name, identity.hasRole(Roles.ADMIN));
    }
}
