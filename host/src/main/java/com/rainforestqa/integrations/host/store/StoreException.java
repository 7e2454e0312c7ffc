package com.rainforestqa.integrations.host.store;

/**
 * The store could not do what was asked (a full disk, a lost database connection); nothing of the failed write
 * remains. Callers answer it as a temporary unavailability.
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception.
     *
     * @param message what failed, without data from a request
     * @param cause the database's exception
     */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
