#pragma once
// The auxiliary electrodes as the charging modes see them: potentials linear in the sphere
// charges, V = T Q + V_fixed (charging.h, ElectrodeModel), one function per model:
//  - patch centre: each electrode at the mean potential of the patch centre where it stands
//    (frames: the layer's centre spheres, rows of P; wall: the node's wall-equivalent points,
//    K_Q and K_V), solved exactly on the responses;
//  - sheet model: the 1D model's potentials at the electrode heights;
//  - fixed: T = 0, V_fixed as given.
// And the field rows at the surface points with the model folded in, E.n = (S + Sv T) Q + Sv V_fixed.
#include "solver/charging.h"
#include "solver/response_tables.h"
#include "solver/sheet_model.h"

#include <cstddef>
#include <vector>

namespace mpstream::solver
{
  struct ChargingElectrodes
  {
    std::vector<unsigned int> ids;  // Electrostatics::electrode_layers(): frame layers or wall nodes
    std::vector<double> heights;    // m, the z each electrode stands for
    std::size_t n_ids = 0;          // size of a by-id potential vector
    bool wall         = false;      // the electrodes are the wall's nodes
    std::size_t size() const { return ids.size(); }
  };
  ChargingElectrodes charging_electrodes(const Electrostatics &es, const layout::StreamLayout &layout);

  struct ElectrodeTransfer
  {
    DenseMatrix T;               // V per C (E x N); empty before the responses
    std::vector<double> V_fixed; // V (E)
  };

  // Electrodes = fixed: V_fixed from the settings' potentials by id (InputError if one is
  // missing); zeros for the other models.
  std::vector<double> fixed_electrode_potentials(const ChargingElectrodes &electrodes, const ChargingSettings &settings);

  // T of the sheet model: column j = its potentials at the electrode heights for a unit charge on j.
  DenseMatrix sheet_model_transfer(const SheetModel &sheet, const ChargingElectrodes &electrodes, std::size_t n_spheres);

  // Frames: the centre spheres of each electrode's layer (centre_sets by layer); InputError if
  // a layer has none.
  std::vector<std::vector<std::size_t>> electrode_centre_sets(const ChargingElectrodes &electrodes,
                                                              const std::vector<std::vector<std::size_t>> &centre_sets);

  // T of the patch centre: V_e = K (P Q + Pv V), K the mean over the centre spheres of
  // layer(e) (frames; K P = K_Q when the tables hold no full P) or over the node's
  // wall-equivalent points (wall: K P = K_Q, K Pv = K_V): V = (I - K Pv)^-1 K P Q = T Q.
  DenseMatrix patch_centre_transfer(const ResponseTables &tables, const ChargingElectrodes &electrodes,
                                    const std::vector<std::vector<std::size_t>> &centre_sets, std::size_t n_spheres);

  // T for settings.electrodes (zero for fixed electrodes).
  DenseMatrix electrode_transfer(const ChargingSettings &settings, const ResponseTables &tables,
                                 const ChargingElectrodes &electrodes, const SheetModel &sheet,
                                 const std::vector<std::vector<std::size_t>> &centre_sets, std::size_t n_spheres);

  // By-id electrode potentials for charges Q: T Q + V_fixed, or before the responses (T empty)
  // the sheet model's start values.
  std::vector<double> electrode_potentials(const ElectrodeTransfer &transfer, const ChargingElectrodes &electrodes,
                                           const SheetModel &sheet, const std::vector<double> &Q);

  // A quantity linear in the charges with the electrodes folded in: rows Q + offset.
  struct PointFieldRows
  {
    DenseMatrix rows;
    std::vector<double> offset;
  };
  // rows Q + offset.
  std::vector<double> evaluate(const PointFieldRows &linear, const std::vector<double> &Q);
  // How far a linear model is from the full solve: max |model - full| / max |full| (0 if full
  // is all zero; the sizes must match).
  double largest_relative_difference(const std::vector<double> &model, const std::vector<double> &full);
  // E.n at the surface points: rows S + Sv T (V/m per C, K x N), offsets Sv V_fixed (V/m, K).
  PointFieldRows point_field_rows(const ResponseTables &tables, const ElectrodeTransfer &transfer);
  // Sphere potentials: rows P + Pv T (V per C, N x N), offsets Pv V_fixed (V, N).
  PointFieldRows sphere_potential_rows(const ResponseTables &tables, const ElectrodeTransfer &transfer);
} // namespace mpstream::solver
