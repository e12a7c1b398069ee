package dev.gan.util;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.assertj.core.api.Assertions.assertThat;

/** OpenBLAS's sgemm called on ND4J arrays' memory agrees with ND4J's own multiply, views included. */
class SgemmTest {

    @ParameterizedTest(name = "transA={0} transB={1}")
    @CsvSource({"false,false", "true,false", "false,true", "true,true"})
    void agreesWithNd4jsMultiplyForEveryTransposition(boolean transA, boolean transB) {
        int m = 7, n = 5, k = 3;
        Nd4j.getRandom().setSeed(1);
        INDArray a = Nd4j.rand(DataType.FLOAT, transA ? k : m, transA ? m : k);
        INDArray b = Nd4j.rand(DataType.FLOAT, transB ? n : k, transB ? k : n);
        INDArray c = Nd4j.ones(DataType.FLOAT, m, n);

        Sgemm.multiply(transA, transB, m, n, k, 2f, Sgemm.pointer(a), (int) a.columns(), Sgemm.pointer(b),
                (int) b.columns(), 0.5f, Sgemm.pointer(c), n);

        INDArray expected = (transA ? a.transpose() : a).mmul(transB ? b.transpose() : b).muli(2).addi(0.5);
        assertThat(c.sub(expected).amaxNumber().doubleValue()).isLessThan(1e-5);
    }

    @Test
    void aRowViewStartsAtItsFirstElement() {
        INDArray whole = Nd4j.arange(12).castTo(DataType.FLOAT).reshape('c', 4, 3);
        INDArray lowerRows = whole.get(NDArrayIndex.interval(2, 4), NDArrayIndex.all());

        float[] read = new float[6];
        Sgemm.pointer(lowerRows).get(read);

        assertThat(read).containsExactly(6f, 7f, 8f, 9f, 10f, 11f);
        assertThat(Sgemm.address(lowerRows) - Sgemm.address(whole)).isEqualTo(6 * Float.BYTES);
    }

    /**
     * Large products are split over gan's threads by rows of C (by columns when C is short and wide): each part
     * lands where it belongs, for every transposition and for strides wider than the matrices (OpenBLAS may block
     * a part differently from the whole, so the test allows float rounding).
     */
    @ParameterizedTest(name = "{0}x{1}x{2} transA={3} transB={4} alpha={5} beta={6}")
    @CsvSource({"300,200,150,false,false,1.5,0.25", "300,200,150,true,false,1.5,0.25",
            "300,200,150,false,true,1.5,0.25", "300,200,150,true,true,1.5,0.25", "20,900,64,false,false,1.5,0.25",
            "20,900,64,true,true,1.5,0.25", "301,17,997,false,true,1.5,0.25",
            // the MLP GAN's products: forward (plain, which OpenBLAS may route to its direct kernel), backward
            "100,784,256,false,false,1,0", "200,256,784,false,false,1,0", "100,256,138,false,false,1,0",
            "200,784,256,false,true,1,0", "784,256,200,true,false,1,1", "138,256,100,true,false,1,0",
            "300,300,300,false,false,1,0", "100,256,128,false,true,1,0", "100,256,784,false,true,1,0",
            "100,784,256,false,true,1,0", "200,256,784,false,true,1,0", "256,128,100,true,false,1,0",
            "256,784,200,true,false,1,0", "784,256,100,true,false,1,0"})
    void aSplitProductIsTheUnsplitOne(int m, int n, int k, boolean transA, boolean transB, float alpha,
                                               float beta) {
        Nd4j.getRandom().setSeed(3);
        int lda = (transA ? m : k) + 3;
        int ldb = (transB ? k : n) + 5;
        INDArray a = Nd4j.rand(DataType.FLOAT, transA ? k : m, lda);
        INDArray b = Nd4j.rand(DataType.FLOAT, transB ? n : k, ldb);
        INDArray start = Nd4j.rand(DataType.FLOAT, m, n + 2);
        INDArray[] results = new INDArray[3];
        try {
            for (int threads = 1; threads <= 3; threads++) {
                Parallel.use(threads);
                INDArray c = start.dup();
                Sgemm.multiply(transA, transB, m, n, k, alpha, Sgemm.pointer(a), lda, Sgemm.pointer(b), ldb, beta,
                        Sgemm.pointer(c), n + 2);
                results[threads - 1] = c;
            }
        } finally {
            Parallel.use(1);
        }

        double scale = Math.max(1, results[0].amaxNumber().doubleValue());
        assertThat(results[1].sub(results[0]).amaxNumber().doubleValue() / scale).isLessThan(1e-5);
        assertThat(results[2].sub(results[0]).amaxNumber().doubleValue() / scale).isLessThan(1e-5);
        assertThat(results[0].get(NDArrayIndex.all(), NDArrayIndex.interval(n, n + 2)))
                .as("columns beyond n untouched").isEqualTo(start.get(NDArrayIndex.all(), NDArrayIndex.interval(n, n + 2)));
    }
}
