package com.rainforestqa.integrations.api;

/**
 * The version of this SPI, and how a plugin declares the version it was built against.
 *
 * <p>A plugin jar names the SPI version it was compiled with in its manifest, under {@link #MANIFEST_ATTRIBUTE}
 * (for example {@code Rainforest-Integrations-Api-Version: 0.1}). The host refuses a plugin built for a newer major
 * version than its own, since such a plugin may call what this host does not have; any older or equal version, and a
 * plugin without the attribute, is loaded.
 */
public final class ApiVersion {
    /** The version of this SPI, {@code major.minor}. */
    public static final String CURRENT = "0.1";

    /** The manifest attribute in which a plugin jar declares the SPI version it was built against. */
    public static final String MANIFEST_ATTRIBUTE = "Rainforest-Integrations-Api-Version";

    private ApiVersion() {
    }

    /**
     * The major version of a {@code major.minor[.patch]} version string.
     *
     * @param version a version such as {@code "0.1"} or {@code "2"}
     * @return its major number
     * @throws IllegalArgumentException if the text does not start with a number
     */
    public static int major(String version) {
        String text = version.strip();
        int dot = text.indexOf('.');
        String major = dot < 0 ? text : text.substring(0, dot);
        if (major.isEmpty() || !major.chars().allMatch(Character::isDigit) || major.length() > 9) {
            throw new IllegalArgumentException("\"" + version + "\" is not a version (major.minor)");
        }
        return Integer.parseInt(major);
    }
}
