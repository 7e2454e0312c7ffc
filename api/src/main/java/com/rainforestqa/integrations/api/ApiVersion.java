package com.rainforestqa.integrations.api;

/**
 * The version of this SPI, and how a plugin declares the version it was built against.
 *
 * <p>A plugin jar names the SPI version it was compiled with in its manifest, under {@link #MANIFEST_ATTRIBUTE}
 * (for example {@code Rainforest-Integrations-Api-Version: 0.1}). A minor version only adds to the SPI: what a plugin
 * built for an earlier minor of the same major uses stays, binary compatible. So a host loads a plugin built for its
 * own major and any minor up to its own. It refuses a plugin built for a newer minor or major, which may call what
 * this host does not have, and one built for an older major, which may call what a major version removed (there is
 * none while the major is 0). A plugin without the attribute is loaded.
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

    /**
     * The minor version of a {@code major.minor[.patch]} version string.
     *
     * @param version a version such as {@code "0.1"}; {@code "2"} has minor 0
     * @return its minor number
     * @throws IllegalArgumentException if the text is not {@code major[.minor[.patch]]} in numbers
     */
    public static int minor(String version) {
        major(version);
        String[] parts = version.strip().split("\\.", -1);
        if (parts.length > 3) {
            throw new IllegalArgumentException("\"" + version + "\" is not a version (major.minor)");
        }
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].isEmpty() || !parts[i].chars().allMatch(Character::isDigit) || parts[i].length() > 9) {
                throw new IllegalArgumentException("\"" + version + "\" is not a version (major.minor)");
            }
        }
        return parts.length == 1 ? 0 : Integer.parseInt(parts[1]);
    }
}
