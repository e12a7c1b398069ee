package dev.gan.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** An animated GIF: every frame in order, each frame's gray levels, a looping animation. */
public class GifWriterTest {

    @TempDir
    Path tmp;

    @Test
    void everyFrameReadsBackInOrderWithItsGrayLevels() throws Exception {
        List<BufferedImage> frames = List.of(
                ImageGrid.render(new float[] {0f, 1f}, 1, 1, 2, 1, 1, 4),
                ImageGrid.render(new float[] {1f, 0f}, 1, 1, 2, 1, 1, 4),
                ImageGrid.render(new float[] {0.5f, 0.5f}, 1, 1, 2, 1, 1, 4));
        Path gif = tmp.resolve("walk.gif");

        GifWriter.write(frames, 120, gif, java.util.Map.of());

        assertThat(Files.readAllBytes(gif)).startsWith("GIF89a".getBytes());
        assertThat(new String(Files.readAllBytes(gif), java.nio.charset.StandardCharsets.ISO_8859_1))
                .as("loops forever").contains("NETSCAPE2.0");
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            reader.setInput(in);
            assertThat(reader.getNumImages(true)).isEqualTo(3);
            for (int f = 0; f < 3; f++) {
                BufferedImage read = reader.read(f);
                for (int x : new int[] {0, 5}) {
                    int gray = read.getRGB(x, 0) & 0xFF;
                    assertThat(gray).as("frame %d, x %d", f, x).isCloseTo(frames.get(f).getRaster().getSample(x, 0, 0),
                            org.assertj.core.data.Offset.offset(2));
                }
            }
        } finally {
            reader.dispose();
        }
    }

    @Test
    void itsTextIsKeptAsCommentsOfTheFirstFrame() throws Exception {
        List<BufferedImage> frames = List.of(ImageGrid.render(new float[] {0f, 1f}, 1, 1, 2, 1, 1, 4),
                ImageGrid.render(new float[] {1f, 0f}, 1, 1, 2, 1, 1, 4));
        Path gif = tmp.resolve("walk.gif");
        java.util.Map<String, String> text = new java.util.LinkedHashMap<>();
        text.put("Source", "/runs/cgan/generator.zip");
        text.put("Comment", "gan sample --model /runs/cgan/generator.zip --interpolate --seed 42");

        GifWriter.write(frames, 120, gif, text);

        assertThat(comments(gif)).containsExactly("Source: /runs/cgan/generator.zip",
                "Comment: gan sample --model /runs/cgan/generator.zip --interpolate --seed 42");
    }

    /** The comment extensions of a GIF's frames, in order. */
    public static List<String> comments(Path gif) throws Exception {
        List<String> comments = new java.util.ArrayList<>();
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            reader.setInput(in);
            for (int f = 0; f < reader.getNumImages(true); f++) {
                org.w3c.dom.Node root = reader.getImageMetadata(f).getAsTree("javax_imageio_gif_image_1.0");
                for (org.w3c.dom.Node node = root.getFirstChild(); node != null; node = node.getNextSibling()) {
                    if (node.getNodeName().equals("CommentExtensions")) {
                        for (org.w3c.dom.Node c = node.getFirstChild(); c != null; c = c.getNextSibling()) {
                            comments.add(c.getAttributes().getNamedItem("value").getNodeValue());
                        }
                    }
                }
            }
        } finally {
            reader.dispose();
        }
        return comments;
    }
}
