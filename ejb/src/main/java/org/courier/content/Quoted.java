package org.courier.content;

/**
 * A value a sender or operator sent, as an error message quotes it back: at most so many
 * characters, never cut inside a character, and with every character that XML 1.0 cannot carry
 * (control characters, lone surrogates, U+FFFE and U+FFFF) shown as {@code \}{@code uXXXX}. An
 * error's text goes out in a SOAP fault or a JSON body: quoting a value that held a control
 * character verbatim made the SAP edges' fault itself malformed XML, which a sender's SOAP
 * stack cannot read (issue 19; the fuzz targets of the field rules, the SAP framing and the admin
 * API's query values now check every refusal for it).
 */
public final class Quoted {

    private Quoted() {
    }

    /** The value, shortened to {@code max} characters (then ending in "…"), every character XML can carry. */
    public static String of(String value, int max) {
        StringBuilder quoted = new StringBuilder(Math.min(value.length(), max) + 8);
        int shown = 0;
        for (int i = 0; i < value.length(); ) {
            if (shown == max) {
                return quoted.append('…').toString();
            }
            int c = value.codePointAt(i);
            if (xmlCharacter(c)) {
                quoted.appendCodePoint(c);
            } else {
                quoted.append(String.format("\\u%04X", (int) value.charAt(i)));
                c = value.charAt(i); // a lone surrogate is one char
            }
            i += Character.charCount(c);
            shown++;
        }
        return quoted.toString();
    }

    /** The whole text, every character XML cannot carry shown as {@code \}{@code uXXXX}: for a fault's text as a whole. */
    public static String inXml(String text) {
        return xmlText(text) ? text : of(text, Integer.MAX_VALUE);
    }

    /** Whether XML 1.0 can carry this code point (its production {@code Char}). */
    public static boolean xmlCharacter(int c) {
        return c == 0x9 || c == 0xA || c == 0xD || c >= 0x20 && c <= 0xD7FF || c >= 0xE000 && c <= 0xFFFD
                || c >= 0x10000 && c <= 0x10FFFF;
    }

    /** Whether every character of the text is one XML 1.0 can carry (no lone surrogate among them). */
    public static boolean xmlText(String text) {
        return text.codePoints().allMatch(Quoted::xmlCharacter);
    }
}
