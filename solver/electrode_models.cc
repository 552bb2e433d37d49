#include "solver/electrode_models.h"

#include "common/error.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace mpstream::solver
{
  ChargingElectrodes charging_electrodes(const Electrostatics &es, const layout::StreamLayout &layout)
  {
    ChargingElectrodes el;
    const std::size_t n_layers = layout.layer_heights.size();
    el.ids   = es.electrode_layers();
    el.wall  = es.has_electrode_wall();
    el.n_ids = el.ids.empty() ? n_layers : std::max<std::size_t>(n_layers, el.ids.back() + 1);
    for (const unsigned int id : el.ids)
      el.heights.push_back(el.wall ? es.parameters().wall_node_heights.at(id) : layout.layer_heights.at(id));
    return el;
  }

  std::vector<double> fixed_electrode_potentials(const ChargingElectrodes &electrodes, const ChargingSettings &settings)
  {
    std::vector<double> V(electrodes.size(), 0.0);
    if (settings.electrodes != ElectrodeModel::fixed)
      return V;
    for (std::size_t e = 0; e < electrodes.size(); ++e)
      {
        const unsigned int id = electrodes.ids[e];
        if (id >= settings.fixed_electrode_potentials.size())
          throw QuantityError("fixed_electrode_potentials_V",
                              std::to_string(settings.fixed_electrode_potentials.size()) + " value(s)",
                              "no potential for electrode " + std::to_string(id) + " (give one value per " +
                                (electrodes.wall ? "wall node" : "layer") + ")");
        V[e] = settings.fixed_electrode_potentials[id];
      }
    return V;
  }

  DenseMatrix sheet_model_transfer(const SheetModel &sheet, const ChargingElectrodes &electrodes, std::size_t n_spheres)
  {
    // The sheet model is linear: column j = its potentials for a unit charge on sphere j.
    const std::size_t N = n_spheres, E = electrodes.size();
    DenseMatrix T(E, std::vector<double>(N, 0.0));
    for (std::size_t j = 0; j < N; ++j)
      {
        std::vector<double> Q(N, 0.0);
        Q[j] = 1;
        for (std::size_t e = 0; e < E; ++e)
          T[e][j] = sheet.potential_at(Q, electrodes.heights[e]);
      }
    return T;
  }

  std::vector<std::vector<std::size_t>> electrode_centre_sets(const ChargingElectrodes &electrodes,
                                                              const std::vector<std::vector<std::size_t>> &centre_sets)
  {
    std::vector<std::vector<std::size_t>> sets;
    for (const unsigned int id : electrodes.ids)
      {
        sets.push_back(centre_sets.at(id));
        if (sets.back().empty())
          throw InputError("Charging: no sphere of layer " + std::to_string(id) +
                           " near the patch centre to make its electrode consistent with");
      }
    return sets;
  }

  namespace
  {
    // Row e: the mean of the rows of `rows` (n columns) over sets[e].
    DenseMatrix centre_means(const DenseMatrix &rows, const std::vector<std::vector<std::size_t>> &sets, std::size_t n)
    {
      DenseMatrix means(sets.size(), std::vector<double>(n, 0.0));
      for (std::size_t e = 0; e < sets.size(); ++e)
        for (const std::size_t i : sets[e])
          for (std::size_t j = 0; j < n; ++j)
            means[e][j] += rows.at(i)[j] / sets[e].size();
      return means;
    }
  } // namespace

  DenseMatrix patch_centre_transfer(const ResponseTables &tables, const ChargingElectrodes &electrodes,
                                    const std::vector<std::vector<std::size_t>> &centre_sets, std::size_t n_spheres)
  {
    const std::size_t N = n_spheres, E = electrodes.size();
    // Frames: means over each layer's centre spheres of the rows of P (when full) and Pv.
    DenseMatrix KP = tables.K_Q, KPv = tables.K_V;
    if (!electrodes.wall)
      {
        const auto sets = electrode_centre_sets(electrodes, centre_sets);
        if (KP.empty())
          KP = centre_means(tables.P, sets, N);
        KPv = centre_means(tables.Pv, sets, E);
      }
    DenseMatrix A(E, std::vector<double>(E));
    for (std::size_t e = 0; e < E; ++e)
      for (std::size_t f = 0; f < E; ++f)
        A[e][f] = (e == f ? 1.0 : 0.0) - KPv[e][f];
    DenseMatrix T(E, std::vector<double>(N, 0.0));
    for (std::size_t j = 0; j < N; ++j)
      {
        std::vector<double> rhs(E);
        for (std::size_t e = 0; e < E; ++e)
          rhs[e] = KP[e][j];
        const auto col = solve_dense(A, rhs);
        for (std::size_t e = 0; e < E; ++e)
          T[e][j] = col[e];
      }
    return T;
  }

  DenseMatrix electrode_transfer(const ChargingSettings &settings, const ResponseTables &tables,
                                 const ChargingElectrodes &electrodes, const SheetModel &sheet,
                                 const std::vector<std::vector<std::size_t>> &centre_sets, std::size_t n_spheres)
  {
    if (electrodes.size() == 0 || settings.electrodes == ElectrodeModel::fixed)
      return DenseMatrix(electrodes.size(), std::vector<double>(n_spheres, 0.0));
    if (settings.electrodes == ElectrodeModel::sheet_model)
      return sheet_model_transfer(sheet, electrodes, n_spheres);
    return patch_centre_transfer(tables, electrodes, centre_sets, n_spheres);
  }

  std::vector<double> electrode_potentials(const ElectrodeTransfer &transfer, const ChargingElectrodes &electrodes,
                                           const SheetModel &sheet, const std::vector<double> &Q)
  {
    std::vector<double> V(electrodes.n_ids, 0.0);
    if (electrodes.size() == 0)
      return V;
    if (transfer.T.empty()) // before the responses: the sheet model's start values
      {
        for (std::size_t e = 0; e < electrodes.size(); ++e)
          V.at(electrodes.ids[e]) = sheet.potential_at(Q, electrodes.heights[e]);
        return V;
      }
    for (std::size_t e = 0; e < electrodes.size(); ++e)
      {
        double v = transfer.V_fixed[e];
        for (std::size_t j = 0; j < Q.size(); ++j)
          v += transfer.T[e][j] * Q[j];
        V.at(electrodes.ids[e]) = v;
      }
    return V;
  }

  namespace
  {
    // rows A + Av T, offsets Av V_fixed: a response to the charges (A) and to the electrodes (Av).
    PointFieldRows fold_electrodes(const DenseMatrix &A, const DenseMatrix &Av, const ElectrodeTransfer &transfer)
    {
      const std::size_t K = A.size(), E = transfer.V_fixed.size();
      PointFieldRows f;
      f.rows = A;
      f.offset.assign(K, 0.0);
      for (std::size_t k = 0; k < K; ++k)
        for (std::size_t e = 0; e < E; ++e)
          {
            f.offset[k] += Av[k][e] * transfer.V_fixed[e];
            for (std::size_t j = 0; j < f.rows[k].size(); ++j)
              f.rows[k][j] += Av[k][e] * transfer.T[e][j];
          }
      return f;
    }
  } // namespace

  std::vector<double> evaluate(const PointFieldRows &linear, const std::vector<double> &Q)
  {
    std::vector<double> y = linear.offset;
    for (std::size_t k = 0; k < y.size(); ++k)
      for (std::size_t j = 0; j < Q.size(); ++j)
        y[k] += linear.rows[k][j] * Q[j];
    return y;
  }

  double largest_relative_difference(const std::vector<double> &model, const std::vector<double> &full)
  {
    if (model.size() != full.size())
      throw RuntimeFailure("largest_relative_difference: " + std::to_string(model.size()) + " model values for " +
                           std::to_string(full.size()) + " full-solve values");
    double err = 0, scale = 0;
    for (std::size_t k = 0; k < full.size(); ++k)
      {
        err   = std::max(err, std::abs(model[k] - full[k]));
        scale = std::max(scale, std::abs(full[k]));
      }
    return scale > 0 ? err / scale : 0.0;
  }

  PointFieldRows point_field_rows(const ResponseTables &tables, const ElectrodeTransfer &transfer)
  {
    return fold_electrodes(tables.S, tables.Sv, transfer);
  }

  PointFieldRows sphere_potential_rows(const ResponseTables &tables, const ElectrodeTransfer &transfer)
  {
    return fold_electrodes(tables.P, tables.Pv, transfer);
  }
} // namespace mpstream::solver
