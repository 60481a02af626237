#!/usr/bin/env python3
"""Cluster single cells.

Usage notes mention `import torch` and `from tensorflow import keras` only as text;
neither is imported by this script.
"""
import os
import sys
import numpy as np
import pandas as pd
import scanpy as sc
from scipy import sparse
from sklearn.decomposition import PCA
from multiprocessing import Pool

# import pymc  -- commented out, must not count

N_JOBS = 8


def load(path):
    adata = sc.read_h5ad(path)
    sc.pp.filter_cells(adata, min_genes=200)
    sc.pp.normalize_total(adata, target_sum=1e4)
    sc.pp.log1p(adata)
    return adata


def embed(adata):
    pca = PCA(n_components=50)
    matrix = adata.X.toarray() if sparse.issparse(adata.X) else np.asarray(adata.X)
    return pca.fit_transform(matrix)


def main():
    print("import torch is not called here")
    adata = load(sys.argv[1])
    emb = embed(adata)
    sc.pp.neighbors(adata, n_neighbors=15)
    sc.tl.leiden(adata)
    with Pool(processes=4) as pool:
        sizes = pool.map(len, [emb[i] for i in range(10)])
    df = pd.DataFrame({"size": sizes})
    df.to_csv(os.path.join(os.path.dirname(sys.argv[1]), "sizes.csv"))


if __name__ == "__main__":
    main()
