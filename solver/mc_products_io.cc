#include "solver/mc_products_io.h"

#include "common/error.h"

#include <array>

namespace mpstream::solver
{
  namespace
  {
    void expect_product(BinaryRecordReader &in, const std::string &product)
    {
      if (in.text("product") != product)
        throw InputError("damaged: not a record of " + product);
    }

    // The per-sphere numbers of StreamSphereResult, in one fixed order.
    constexpr std::size_t sphere_fields = 12;

    std::array<double, sphere_fields> fields_of(const StreamSphereResult &s)
    {
      return {{s.sphere_power_W, s.exit_peak_temperature_K, s.exit_mean_temperature_K, s.exit_min_temperature_K,
               s.exit_molten_fraction, s.peak_temperature_K, s.max_molten_fraction, s.deposited_energy_J,
               s.radiated_energy_J, s.energy_balance_relative_error, s.n_steps, s.n_newton_iterations}};
    }

    StreamSphereResult sphere_of(const double *f)
    {
      return {f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11]};
    }
  } // namespace

  void write_charge_sources(BinaryRecordWriter &out, const MonteCarloChargeSources &s)
  {
    out.put_text("product", "charge sources");
    out.put("q", s.q);
    out.put("q stderr", s.q_stderr);
    out.put("q absorbed", s.q_absorbed);
    out.put("power fraction", s.power_fraction);
    out.put("field work fraction", s.field_work_fraction);
    out.put("trapped per primary", s.trapped_per_primary);
    out.put_count("histories", s.histories);
    out.put("seconds", s.seconds);
  }

  MonteCarloChargeSources read_charge_sources(BinaryRecordReader &in)
  {
    expect_product(in, "charge sources");
    MonteCarloChargeSources s;
    s.q                   = in.doubles("q");
    s.q_stderr            = in.doubles("q stderr");
    s.q_absorbed          = in.doubles("q absorbed");
    s.power_fraction      = in.doubles("power fraction");
    s.field_work_fraction = in.number("field work fraction");
    s.trapped_per_primary = in.number("trapped per primary");
    s.histories           = in.count("histories");
    s.seconds             = in.number("seconds");
    return s;
  }

  void write_stream_mc_source(BinaryRecordWriter &out, const StreamMcSource &source)
  {
    out.put_text("product", "stream power grids");
    out.put_count("grids", source.grids_per_W_input.size());
    for (const auto &g : source.grids_per_W_input)
      {
        out.put("grid box m", std::vector<double>{g.lower[0], g.lower[1], g.lower[2], g.upper[0], g.upper[1], g.upper[2]});
        out.put("grid cells", std::vector<std::uint64_t>(g.n_cells.begin(), g.n_cells.end()));
        out.put("grid values", g.values);
      }
    out.put("S_muP", source.S_muP);
    out.put("seconds", source.seconds);
  }

  StreamMcSource read_stream_mc_source(BinaryRecordReader &in)
  {
    expect_product(in, "stream power grids");
    StreamMcSource source;
    const std::uint64_t n = in.count("grids");
    for (std::uint64_t k = 0; k < n; ++k)
      {
        CartesianGrid g;
        const auto box   = in.doubles("grid box m");
        const auto cells = in.counts("grid cells");
        g.values         = in.doubles("grid values");
        if (box.size() != 6 || cells.size() != 3)
          throw InputError("damaged: a power grid without its box or cell counts");
        g.lower   = {{box[0], box[1], box[2]}};
        g.upper   = {{box[3], box[4], box[5]}};
        g.n_cells = {{cells[0], cells[1], cells[2]}};
        if (g.values.size() != g.size())
          throw InputError("damaged: a power grid's values do not match its cell counts");
        source.grids_per_W_input.push_back(std::move(g));
      }
    source.S_muP   = in.number("S_muP");
    source.seconds = in.number("seconds");
    return source;
  }

  void write_stream_thermal_result(BinaryRecordWriter &out, const StreamThermalResult &result)
  {
    out.put_text("product", "stream transient");
    std::vector<double> spheres;
    for (const auto &s : result.spheres)
      {
        const auto f = fields_of(s);
        spheres.insert(spheres.end(), f.begin(), f.end());
      }
    out.put("spheres", spheres);
    out.put_rows("mean temperature history K", result.mean_temperature_history_K);
    out.put_rows("peak temperature history K", result.peak_temperature_history_K);
    out.put_count("dofs", result.n_dofs);
  }

  StreamThermalResult read_stream_thermal_result(BinaryRecordReader &in)
  {
    expect_product(in, "stream transient");
    StreamThermalResult result;
    const auto spheres = in.doubles("spheres");
    if (spheres.size() % sphere_fields != 0)
      throw InputError("damaged: the per-sphere results are not whole rows");
    for (std::size_t k = 0; k < spheres.size(); k += sphere_fields)
      result.spheres.push_back(sphere_of(spheres.data() + k));
    result.mean_temperature_history_K = in.rows("mean temperature history K");
    result.peak_temperature_history_K = in.rows("peak temperature history K");
    result.n_dofs                     = static_cast<unsigned>(in.count("dofs"));
    return result;
  }
} // namespace mpstream::solver
