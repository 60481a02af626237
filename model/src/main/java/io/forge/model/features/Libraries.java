package io.forge.model.features;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The heavy libraries whose use predicts a job's cost, and the module or package names that
 * count as each. The order of {@link #NAMES} is part of the feature layout.
 */
public final class Libraries {

  /** Feature names, in layout order. */
  public static final List<String> NAMES =
      List.of(
          // Python
          "scanpy", "anndata", "torch", "tensorflow", "jax", "pyscenic", "pymc", "numpy",
          "pandas", "scipy", "scikit_learn", "xgboost", "dask", "polars", "statsmodels",
          "lightgbm",
          // R
          "seurat", "deseq2", "data_table", "bioconductor", "tidyverse");

  private static final Map<String, String> PYTHON = new LinkedHashMap<>();
  private static final Map<String, String> R = new LinkedHashMap<>();

  static {
    py("scanpy", "scanpy");
    py("anndata", "anndata");
    py("torch", "torch", "torchvision", "torchaudio", "pytorch_lightning", "lightning");
    py("tensorflow", "tensorflow", "keras", "tf_keras");
    py("jax", "jax", "jaxlib", "flax", "optax");
    py("pyscenic", "pyscenic", "arboreto");
    py("pymc", "pymc", "pymc3", "arviz");
    py("numpy", "numpy");
    py("pandas", "pandas");
    py("scipy", "scipy");
    py("scikit_learn", "sklearn");
    py("xgboost", "xgboost");
    py("dask", "dask", "distributed");
    py("polars", "polars");
    py("statsmodels", "statsmodels");
    py("lightgbm", "lightgbm");

    r("seurat", "Seurat", "SeuratObject", "SeuratDisk");
    r("deseq2", "DESeq2");
    r("data_table", "data.table");
    r(
        "bioconductor",
        "BiocManager", "BiocParallel", "BiocGenerics", "Biobase", "SummarizedExperiment",
        "SingleCellExperiment", "GenomicRanges", "GenomicFeatures", "GenomicAlignments",
        "IRanges", "S4Vectors", "Biostrings", "BSgenome", "rtracklayer", "Rsamtools",
        "AnnotationDbi", "org.Hs.eg.db", "org.Mm.eg.db", "edgeR", "limma", "scran", "scater",
        "DropletUtils", "batchelor", "ComplexHeatmap", "clusterProfiler", "DelayedArray",
        "HDF5Array", "tximport", "ChIPseeker", "DiffBind", "minfi", "variancePartition");
    r("tidyverse", "tidyverse", "dplyr", "tidyr", "ggplot2", "readr", "purrr");
  }

  private Libraries() {}

  private static void py(String feature, String... modules) {
    for (String m : modules) {
      PYTHON.put(m, feature);
    }
  }

  private static void r(String feature, String... packages) {
    for (String p : packages) {
      R.put(p, feature);
    }
  }

  /** The feature a Python top-level module counts towards, or null. */
  static String forPythonModule(String dottedModule) {
    int dot = dottedModule.indexOf('.');
    String top = dot < 0 ? dottedModule : dottedModule.substring(0, dot);
    return PYTHON.get(top);
  }

  /** The feature an R package counts towards, or null. */
  static String forRPackage(String pkg) {
    return R.get(pkg);
  }
}
