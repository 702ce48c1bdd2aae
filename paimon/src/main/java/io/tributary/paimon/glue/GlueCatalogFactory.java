package io.tributary.paimon.glue;

import io.tributary.paimon.glue.internal.GlueClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.catalog.CatalogContext;
import org.apache.paimon.catalog.CatalogFactory;
import org.apache.paimon.fs.FileIO;
import org.apache.paimon.fs.Path;

/**
 * Paimon's catalog factory for {@code metastore=glue}, found through Paimon's factory SPI
 * ({@code META-INF/services/org.apache.paimon.factories.Factory}), so Flink and Spark users of Paimon can use it too.
 */
public class GlueCatalogFactory implements CatalogFactory {

  @Override
  public String identifier() {
    return GlueCatalogOptions.IDENTIFIER;
  }

  @Override
  public Catalog create(CatalogContext context) {
    Path warehouse = CatalogFactory.warehouse(context);
    FileIO fileIO;
    try {
      fileIO = FileIO.get(warehouse, context);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the file system of warehouse " + warehouse, e);
    }
    return create(fileIO, warehouse, context);
  }

  @Override
  public Catalog create(FileIO fileIO, Path warehouse, CatalogContext context) {
    return new GlueCatalog(fileIO, warehouse.toString(), context, GlueClients.create(context.options()));
  }
}
