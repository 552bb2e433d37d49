#pragma once
// Reuse of stage products across runs into one results folder (issue 16 item 2a). An expensive
// product (the mesh, the charging responses, the Monte Carlo tallies, the whole-stream
// transient) is stored in <results>/cache/<product>-<digest>.bin with the key of everything it
// depends on: the mpstream version and git commit, the upstream parameters as this run's
// parameters_used.prm has them (the parser's canonical text), derived data such as the sphere
// centres, and the digests of the files the product reads. The digest (common/digest.h) names
// the file; the file holds the full key text too, and is reused only if that text equals this
// run's. A rerun that changes only downstream parameters (power, q, field cap, emission,
// thermal) finds its file and reuses it; a changed upstream parameter gives another name, so
// the product is computed again, and the log names the parameter lines that changed.
// Refused (InputError, one line, exit 2; never a silent reuse or a silent recompute), as the
// Monte Carlo state point refuses (app/mc_state_point.h):
//  - a cache file of this product written by another mpstream version;
//  - a file whose stored key text does not match its name (renamed, edited, or a collision);
//  - a truncated or damaged file, or one of another cache format or byte order.
// `mpstream ... --no-cache` (RunContext::use_cache) neither reads nor writes the cache.
// Collective: every rank calls; rank 0 reads and writes, the bytes go to every rank.
#include "app/run_context.h"
#include "common/binary_record.h"
#include "common/error.h"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mpstream::app
{
  // What a product depends on, as text. Starts with the build (mpstream version, git commit)
  // and the product's name; the stages add the rest.
  class CacheKey
  {
  public:
    CacheKey(const RunContext &context, std::string product);
    // Every line of these top-level sections of parameters_used.prm, except the entries named
    // in `except` (e.g. "Threads", which does not change the result).
    CacheKey &sections(const std::vector<std::string> &names, const std::vector<std::string> &except = {});
    // Only these entries of a section.
    CacheKey &entries(const std::string &section, const std::vector<std::string> &names);
    CacheKey &line(const std::string &text);
    CacheKey &number(const std::string &name, double value); // exact (17 digits)
    // Every sphere's centre and radius, exact (a sphere file's layout included).
    CacheKey &spheres(const std::string &name, const layout::StreamLayout &layout);
    // The digest of a file's contents (nothing if `file` is empty).
    CacheKey &file(const std::string &name, const std::filesystem::path &file);
    // Everything another key holds after its header (a product built on another's inputs).
    CacheKey &includes(const CacheKey &upstream);

    const std::string &product() const { return product_; }
    const std::string &text() const { return text_; }

  private:
    std::string product_, text_;
    std::size_t header_size_ = 0;
    std::filesystem::path parameters_used_;
  };

  // The lines of a parameters_used.prm file that `keep(top-level section, trimmed line)` keeps,
  // each followed by a newline ("subsection" and "end" lines included when kept). The Monte
  // Carlo state point's key uses it too.
  std::string used_parameter_lines(const std::filesystem::path &parameters_used,
                                   const std::function<bool(const std::string &, const std::string &)> &keep);

  // The product's bytes stored for this key, on every rank; nothing if there are none (or the
  // cache is off), after saying why on the log: first run, or which upstream lines changed.
  std::optional<std::string> cached_product(RunContext &context, const CacheKey &key);

  // Rank 0 stores the bytes under the key (atomically) and removes the product's files of
  // other keys; every rank records the product as computed.
  void store_product(RunContext &context, const CacheKey &key, const std::string &bytes);

  // The product for the key: read from the cache, or computed and stored.
  template <class Product>
  Product reuse_or_compute(RunContext &context, const CacheKey &key, const std::function<Product()> &compute,
                           void (*write)(BinaryRecordWriter &, const Product &),
                           Product (*read)(BinaryRecordReader &));

  // The one line that refuses the key's cache file: "stage cache '<file>': <why> (delete ...)".
  InputError cache_refusal(const RunContext &context, const CacheKey &key, const std::string &why);

  template <class Product>
  Product reuse_or_compute(RunContext &context, const CacheKey &key, const std::function<Product()> &compute,
                           void (*write)(BinaryRecordWriter &, const Product &),
                           Product (*read)(BinaryRecordReader &))
  {
    if (auto bytes = cached_product(context, key))
      {
        try // the same bytes on every rank: a damaged record fails everywhere alike
          {
            BinaryRecordReader reader(std::move(*bytes));
            Product product = read(reader);
            reader.expect_end();
            return product;
          }
        catch (const InputError &e)
          {
            throw cache_refusal(context, key, e.what());
          }
      }
    Product product = compute();
    if (context.use_cache)
      {
        BinaryRecordWriter writer;
        write(writer, product);
        store_product(context, key, writer.bytes());
      }
    return product;
  }
} // namespace mpstream::app
