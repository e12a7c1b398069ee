package dev.gan.cli;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The names a mistyped command or option may have meant: those a few edits away (a letter added, dropped, changed,
 * or two neighbours swapped), at most a third of the word's length and at least one. picocli's own suggestions
 * share letters rather than spelling ("nonsense": bench, completion).
 */
final class Resemblance {

    private Resemblance() {
    }

    /** Of {@code names}, those near {@code word}, nearest first; leading dashes are not counted. */
    static List<String> near(String word, Collection<String> names) {
        String bare = undashed(word);
        int most = Math.max(1, bare.length() / 3);
        return names.stream()
                .map(name -> Map.entry(name, distance(bare, undashed(name))))
                .filter(e -> e.getValue() > 0 && e.getValue() <= most)
                .sorted(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey)
                .distinct()
                .toList();
    }

    /** The optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private static String undashed(String name) {
        return name.replaceFirst("^-+", "");
    }
}
