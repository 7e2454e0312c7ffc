package com.rainforestqa.integrations.plugin.discord;

import com.rainforestqa.integrations.api.TextLimit;

/**
 * Discord's limits on one embed, and the characters still free under its 6000-character total. Discord refuses the
 * whole message (400, code 50035) when any limit is broken, so texts are cut here, visibly, instead.
 *
 * <p>Lengths are counted in UTF-16 units, which is never fewer than Discord's count of characters. Not thread-safe:
 * one budget serves one embed.
 */
final class EmbedBudget {
    static final int TOTAL = 6000;
    static final int TITLE = 256;
    static final int DESCRIPTION = 4096;
    static final int FIELDS = 25;
    static final int FIELD_NAME = 256;
    static final int FIELD_VALUE = 1024;
    static final int FOOTER = 2048;
    static final String ELLIPSIS = "…";

    private int left = TOTAL;

    /**
     * Takes room for a text, cut to its own limit and to what is left of the total.
     *
     * @param text the text
     * @param limit the limit of the embed member the text goes into
     * @param reserve characters to keep free for members that must still come
     * @return the text, cut with an ellipsis when needed; empty when not even the ellipsis fits
     */
    String take(String text, int limit, int reserve) {
        String cut = cut(text, Math.min(limit, left - reserve));
        left -= cut.length();
        return cut;
    }

    /**
     * Whether a text of this length would fit whole, keeping a reserve free.
     *
     * @param length the text's length
     * @param reserve characters to keep free
     * @return true when it fits
     */
    boolean fits(int length, int reserve) {
        return length <= left - reserve;
    }

    /**
     * Cuts a text to a maximum length, ending it with an ellipsis when anything was dropped.
     *
     * @param text the text
     * @param max the maximum length
     * @return the text, or its cut form; empty when max is below 1
     */
    static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        if (max < 1) {
            return "";
        }
        // Nor may a lone escaping backslash be left at the cut: it would escape the ellipsis.
        String head = TextLimit.UTF16_UNITS.truncate(text, max - ELLIPSIS.length(), "");
        if (head.endsWith("\\") && (head.length() - head.replaceAll("\\\\+$", "").length()) % 2 == 1) {
            head = head.substring(0, head.length() - 1);
        }
        return head + ELLIPSIS;
    }
}
