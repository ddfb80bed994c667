package org.courier.idmapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The canonical payload hash (message ids from {@code id-from="canonical-hash"}) depends on the
 * document, not on how it is written (jqwik): random documents, each written twice with other
 * attribute order, quote characters, white space inside tags and between elements, empty
 * elements as {@code <a/>} or {@code <a></a>}, comments beside elements, and characters as
 * themselves or as character references, hash the same; a changed text does not.
 */
class CanonicalHashProperties {

    private final PayloadIdentity hash = new PayloadIdentity.CanonicalHash();

    @Property(tries = 300)
    void theHashIgnoresHowTheDocumentIsWritten(@ForAll("documents") Node document, @ForAll long seed) {
        String one = document.write(new Random(seed));
        String other = document.write(new Random(~seed));

        assertThat(hash.idOf(other)).as("%s%n%s", one, other).isEqualTo(hash.idOf(one));
    }

    @Property(tries = 100)
    void aChangedTextChangesTheHash(@ForAll("documents") Node document, @ForAll long seed) {
        String written = document.write(new Random(seed));
        String changed = document.withText(document.firstText() + "x").write(new Random(seed));

        assertThat(hash.idOf(changed)).isNotEqualTo(hash.idOf(written));
    }

    @Provide
    Arbitrary<Node> documents() {
        return node(3);
    }

    private Arbitrary<Node> node(int depth) {
        Arbitrary<String> names = Arbitraries.of("a", "b", "order", "line", "x-1", "n.o", "_z");
        Arbitrary<String> values = Arbitraries.strings().withChars("abc xyz<>&\"'\u00e9\u4e2d\uD83D\uDE00").ofMaxLength(8)
                .filter(v -> v.codePoints().allMatch(Character::isValidCodePoint) && !hasLoneSurrogate(v));
        Arbitrary<Map<String, String>> attributes = Arbitraries.maps(Arbitraries.of("id", "k", "v", "q"), values).ofMaxSize(3);
        Arbitrary<List<Node>> children = depth == 0 ? Arbitraries.just(List.of())
                : Arbitraries.lazy(() -> node(depth - 1)).list().ofMaxSize(3);
        return Combinators.combine(names, attributes, values, children).as(Node::new);
    }

    private static boolean hasLoneSurrogate(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (Character.isHighSurrogate(c) && (i + 1 >= v.length() || !Character.isLowSurrogate(v.charAt(++i)))) {
                return true;
            }
            if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** An element: name, attributes, its text (before the children) and child elements. */
    record Node(String name, Map<String, String> attributes, String text, List<Node> children) {

        String firstText() {
            return text;
        }

        Node withText(String changed) {
            return new Node(name, attributes, changed, children);
        }

        String write(Random random) {
            StringBuilder xml = new StringBuilder();
            write(xml, random);
            return xml.toString();
        }

        private void write(StringBuilder xml, Random random) {
            xml.append('<').append(name);
            List<Map.Entry<String, String>> shuffled = new ArrayList<>(new LinkedHashMap<>(attributes).entrySet());
            Collections.shuffle(shuffled, random);
            for (Map.Entry<String, String> attribute : shuffled) {
                char quote = random.nextBoolean() ? '"' : '\'';
                xml.append(random.nextBoolean() ? " " : "\n  ").append(attribute.getKey())
                        .append(random.nextBoolean() ? "=" : " = ").append(quote)
                        .append(escape(attribute.getValue(), quote, random)).append(quote);
            }
            if (random.nextBoolean()) {
                xml.append(' ');
            }
            if (text.isEmpty() && children.isEmpty() && random.nextBoolean()) {
                xml.append("/>");
                return;
            }
            xml.append('>').append(escape(text, '"', random));
            boolean afterText = !text.isEmpty();
            for (Node child : children) {
                // white space and comments between elements say nothing about the message (white
                // space right after text is part of that text)
                if (random.nextBoolean()) {
                    xml.append(random.nextBoolean() && !afterText ? "\n    " : "<!-- c -->");
                }
                child.write(xml, random);
                afterText = false;
            }
            xml.append("</").append(name).append(random.nextBoolean() ? ">" : " >");
        }

        /** XML-escaped; every other character either as itself or as a character reference. */
        private static String escape(String value, char quote, Random random) {
            StringBuilder out = new StringBuilder();
            value.codePoints().forEach(c -> {
                switch (c) {
                    case '<' -> out.append("&lt;");
                    case '&' -> out.append("&amp;");
                    case '"' -> out.append(quote == '"' ? "&quot;" : "\"");
                    case '\'' -> out.append(quote == '\'' ? "&apos;" : "'");
                    default -> {
                        if (random.nextInt(4) == 0) {
                            out.append("&#x").append(Integer.toHexString(c)).append(';');
                        } else {
                            out.appendCodePoint(c);
                        }
                    }
                }
            });
            return out.toString();
        }
    }

}
