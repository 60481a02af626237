#!/usr/bin/env Rscript
# Differential expression with DESeq2.
# library(torch) would be here in another world; this line is a comment.
suppressPackageStartupMessages({
  library(DESeq2)
  library("data.table")
  require(BiocParallel)
})
library(Seurat)

register(MulticoreParam(workers = 6))
counts <- data.table::fread(commandArgs(trailingOnly = TRUE)[1])
meta <- data.table::fread(commandArgs(trailingOnly = TRUE)[2])
dds <- DESeq2::DESeqDataSetFromMatrix(countData = as.matrix(counts[, -1]),
                                      colData = meta, design = ~ condition)
dds <- DESeq(dds, parallel = TRUE)
res <- results(dds)
message("library(pymc) inside a string is not a load")
res_list <- parallel::mclapply(1:4, function(i) head(res, i), mc.cores = 4)
so <- CreateSeuratObject(counts = counts)
write.csv(as.data.frame(res), "deseq_results.csv")
