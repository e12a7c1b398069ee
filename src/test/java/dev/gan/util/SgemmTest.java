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
}
