package io.forge.model.bench;

/** Realistic Python script text of a given size, for benchmarks. */
final class Scripts {

  private static final String HEADER =
      "#!/usr/bin/env python3\n\"\"\"Cluster cells.\"\"\"\nimport numpy as np\n"
          + "import pandas as pd\nimport scanpy as sc\nfrom sklearn.cluster import KMeans\n";

  private static final String BODY =
      "def step_%d(adata, n_jobs=4):\n"
          + "    # normalise and embed\n"
          + "    sc.pp.normalize_total(adata, target_sum=1e4)\n"
          + "    x = np.log1p(adata.X)\n"
          + "    df = pd.DataFrame(x[:10])\n"
          + "    return KMeans(n_clusters=8).fit(x), \"step %d done\"\n\n";

  private Scripts() {}

  static String python(int bytes) {
    StringBuilder sb = new StringBuilder(bytes + 512).append(HEADER);
    for (int i = 0; sb.length() < bytes; i++) {
      sb.append(String.format(BODY, i, i));
    }
    sb.setLength(bytes);
    return sb.toString();
  }
}
