package dev.gan.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * DiffAugment's transforms (Zhao et al. 2020) that D's images pass through, real and fake alike, each image drawn
 * its own: {@code translation} shifts it by up to an eighth of its size, {@code cutout} blanks a square half its
 * size. Written as gan train takes it: {@code translation,cutout}, or {@code none}.
 */
public record Augmentation(boolean translation, boolean cutout) {

    public static final Augmentation NONE = new Augmentation(false, false);

    /** Whether D sees its images as they are. */
    public boolean none() {
        return !translation && !cutout;
    }

    /** {@code translation}, {@code cutout}, both comma-separated in any order, or {@code none}. */
    @JsonCreator
    public static Augmentation parse(String text) {
        boolean translation = false;
        boolean cutout = false;
        for (String part : text.split(",", -1)) {
            switch (part.trim().toLowerCase(Locale.ROOT)) {
                case "translation" -> translation = true;
                case "cutout" -> cutout = true;
                case "none" -> {
                    if (!text.trim().equalsIgnoreCase("none")) {
                        throw new IllegalArgumentException("augment: 'none' cannot be combined, got '" + text + "'");
                    }
                }
                default -> throw new IllegalArgumentException("augment takes translation, cutout (comma-separated) "
                        + "or none, got '" + text + "'");
            }
        }
        return new Augmentation(translation, cutout);
    }

    @JsonValue
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (translation) {
            parts.add("translation");
        }
        if (cutout) {
            parts.add("cutout");
        }
        return parts.isEmpty() ? "none" : String.join(",", parts);
    }
}
