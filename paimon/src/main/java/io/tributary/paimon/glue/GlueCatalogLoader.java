package io.tributary.paimon.glue;

import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.catalog.CatalogContext;
import org.apache.paimon.catalog.CatalogLoader;

/**
 * Rebuilds a {@link GlueCatalog} from its context where Paimon needs a catalog again, e.g. in a Flink task or in a
 * commit callback; the context (options and Hadoop configuration) is all that travels.
 */
public final class GlueCatalogLoader implements CatalogLoader {
  private static final long serialVersionUID = 1L;

  private final CatalogContext context;

  /** A loader of catalogs built from the given context. */
  public GlueCatalogLoader(CatalogContext context) {
    this.context = context;
  }

  @Override
  public Catalog load() {
    return new GlueCatalogFactory().create(context);
  }
}
