#include "solver/response_tables_io.h"

#include "common/error.h"

#include <algorithm>

namespace mpstream::solver
{
  namespace
  {
    void write_points(BinaryRecordWriter &out, const SurfacePointSet &points)
    {
      std::vector<std::uint64_t> sphere(points.sphere.begin(), points.sphere.end());
      std::vector<double> xyz;
      for (const auto &p : points.point)
        xyz.insert(xyz.end(), p.begin(), p.end());
      out.put("point sphere", sphere);
      out.put("point xyz m", xyz);
      out.put("point area m2", points.area_m2);
    }

    SurfacePointSet read_points(BinaryRecordReader &in)
    {
      SurfacePointSet points;
      const auto sphere = in.counts("point sphere");
      const auto xyz    = in.doubles("point xyz m");
      points.area_m2    = in.doubles("point area m2");
      if (xyz.size() != 3 * sphere.size() || points.area_m2.size() != sphere.size())
        throw InputError("damaged: surface point arrays of different lengths");
      points.sphere.assign(sphere.begin(), sphere.end());
      for (std::size_t k = 0; k < sphere.size(); ++k)
        points.point.push_back({{xyz[3 * k], xyz[3 * k + 1], xyz[3 * k + 2]}});
      return points;
    }

    void write_force_form(BinaryRecordWriter &out, const SphereForceForm &form)
    {
      const auto &ids = form.electrode_ids();
      out.put_count("force spheres", form.n_spheres());
      out.put("force electrode ids", std::vector<std::uint64_t>(ids.begin(), ids.end()));
      const std::size_t K = form.n_sources();
      std::vector<double> matrices;
      for (std::size_t i = 0; i < form.n_spheres(); ++i)
        for (unsigned d = 0; d < 3; ++d)
          matrices.insert(matrices.end(), form.matrix(i, d), form.matrix(i, d) + K * K);
      out.put("force matrices", matrices);
    }

    SphereForceForm read_force_form(BinaryRecordReader &in)
    {
      const std::size_t n = in.count("force spheres");
      const auto ids      = in.counts("force electrode ids");
      const auto matrices = in.doubles("force matrices");
      if (n == 0)
        return {};
      SphereForceForm form(n, std::vector<unsigned int>(ids.begin(), ids.end()));
      const std::size_t K = form.n_sources();
      if (matrices.size() != 3 * n * K * K)
        throw InputError("damaged: the force form's matrices do not match its sphere and electrode counts");
      for (std::size_t i = 0; i < n; ++i)
        for (unsigned d = 0; d < 3; ++d)
          std::copy_n(matrices.begin() + static_cast<std::ptrdiff_t>((3 * i + d) * K * K), K * K, form.matrix(i, d));
      return form;
    }
  } // namespace

  void write_response_tables(BinaryRecordWriter &out, const ResponseTables &tables)
  {
    out.put_text("product", "response tables");
    write_points(out, tables.points);
    out.put_rows("P", tables.P);
    out.put_rows("S", tables.S);
    out.put_rows("Pv", tables.Pv);
    out.put_rows("Sv", tables.Sv);
    out.put_rows("K_Q", tables.K_Q);
    out.put_rows("K_V", tables.K_V);
    write_force_form(out, tables.forces);
    out.put_count("solves", tables.solves);
  }

  ResponseTables read_response_tables(BinaryRecordReader &in)
  {
    if (in.text("product") != "response tables")
      throw InputError("damaged: not a record of response tables");
    ResponseTables tables;
    tables.points = read_points(in);
    tables.P      = in.rows("P");
    tables.S      = in.rows("S");
    tables.Pv     = in.rows("Pv");
    tables.Sv     = in.rows("Sv");
    tables.K_Q    = in.rows("K_Q");
    tables.K_V    = in.rows("K_V");
    tables.forces = read_force_form(in);
    tables.solves = static_cast<unsigned>(in.count("solves"));
    return tables;
  }
} // namespace mpstream::solver
