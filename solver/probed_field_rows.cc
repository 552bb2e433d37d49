#include "solver/probed_field_rows.h"

#include "common/error.h"

#include <algorithm>

namespace mpstream::solver
{
  std::vector<std::vector<std::size_t>> probe_colours(const std::vector<std::vector<std::size_t>> &neighbours,
                                                      const std::vector<bool> &charged)
  {
    const std::size_t n = neighbours.size();
    std::vector<int> colour(n, -1);
    std::vector<std::vector<std::size_t>> classes;
    for (std::size_t i = 0; i < n; ++i)
      {
        if (!charged.at(i))
          continue;
        std::vector<bool> taken(classes.size() + 1, false);
        auto take = [&](std::size_t j) {
          if (colour[j] >= 0)
            taken[colour[j]] = true;
        };
        for (const auto j : neighbours[i])
          {
            take(j);
            for (const auto k : neighbours[j])
              take(k);
          }
        const std::size_t c = std::find(taken.begin(), taken.end(), false) - taken.begin();
        if (c == classes.size())
          classes.emplace_back();
        classes[c].push_back(i);
        colour[i] = static_cast<int>(c);
      }
    return classes;
  }

  namespace
  {
    // Floor of a sphere's own coefficient, relative to the point-charge model's (0.05 of the
    // isolated sphere's 1 / (4 pi eps0 r^2)).
    constexpr double self_floor = 0.05;

    // One point's row: the far part from the scaled model, the closed neighbourhood of its
    // sphere from the probes.
    void probed_row(const FieldProbes &p, const std::vector<int> &colour_of, std::size_t k, std::vector<double> &row,
                    double &offset)
    {
      const std::size_t K = p.colours.size();
      const std::size_t i = p.point_sphere[k];
      const auto &G       = p.model[k];
      const auto &Q0      = p.backscatter_charges;
      std::vector<long> member(K, -1); // the closed neighbour of i in each colour
      if (colour_of[i] >= 0)
        member[colour_of[i]] = static_cast<long>(i);
      for (const auto j : p.neighbours[i])
        if (colour_of[j] >= 0)
          member[colour_of[j]] = static_cast<long>(j);
      std::vector<double> far(K, 0.0);
      double fit = 0, norm = 0, all = 0, sum = 0;
      for (std::size_t c = 0; c < K; ++c)
        {
          for (const auto j : p.colours[c])
            if (static_cast<long>(j) != member[c])
              far[c] += G[j] * Q0[j];
          all += far[c] * far[c];
          sum += p.probes[k][c];
          if (member[c] < 0)
            {
              fit += far[c] * p.probes[k][c];
              norm += far[c] * far[c];
            }
        }
      const double weak  = 1e-12 * all + 1e-300; // defines the scale (-> 1) when every colour holds a neighbour
      const double scale = (fit + weak) / (norm + weak);
      for (std::size_t j = 0; j < row.size(); ++j)
        row[j] = scale * G[j];
      for (std::size_t c = 0; c < K; ++c)
        if (member[c] >= 0)
          row[member[c]] = (p.probes[k][c] - scale * far[c]) / Q0[member[c]];
      // A sphere's own charge pushes E.n outwards everywhere on its surface (alone it is the
      // highest or lowest conductor: maximum principle), so its coefficient is > 0; where the
      // far part's error makes the estimate small or negative the floor keeps the
      // complementarity problem well posed, and the confirming solves correct the rest.
      row[i] = std::max(row[i], self_floor * G[i]);
      offset = p.full_field[k] - sum;
    }
  } // namespace

  ProbedRows probed_field_rows(const FieldProbes &p)
  {
    const std::size_t n_points = p.point_sphere.size(), N = p.backscatter_charges.size();
    if (p.model.size() != n_points || p.probes.size() != n_points || p.full_field.size() != n_points ||
        p.neighbours.size() != N)
      throw RuntimeFailure("probed field rows: inconsistent sizes");
    std::vector<int> colour_of(N, -1);
    for (std::size_t c = 0; c < p.colours.size(); ++c)
      for (const auto j : p.colours[c])
        {
          if (p.backscatter_charges[j] == 0)
            throw RuntimeFailure("probed field rows: an uncharged sphere has a colour");
          colour_of[j] = static_cast<int>(c);
        }
    ProbedRows rows;
    rows.rows.assign(n_points, std::vector<double>(N, 0.0));
    rows.offset.assign(n_points, 0.0);
    for (std::size_t k = 0; k < n_points; ++k)
      probed_row(p, colour_of, k, rows.rows[k], rows.offset[k]);
    return rows;
  }
} // namespace mpstream::solver
