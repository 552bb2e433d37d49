#include "solver/charging.h"

#include "common/constants.h"
#include "common/error.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <ostream>
#include <sstream>

namespace mpstream::solver
{
  namespace
  {
    double seconds_since(std::chrono::steady_clock::time_point t0)
    {
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }

    double lateral_distance(const meshing::Sphere &a, const meshing::Sphere &b)
    {
      return std::hypot(a.centre[0] - b.centre[0], a.centre[1] - b.centre[1]);
    }

    // Smallest lateral centre distance between two spheres (the packing pitch); 2 r if the
    // layout has no lateral neighbours.
    double lateral_pitch(const meshing::StreamLayout &layout)
    {
      double pitch = std::numeric_limits<double>::max();
      for (std::size_t i = 0; i < layout.spheres.size(); ++i)
        for (std::size_t j = i + 1; j < layout.spheres.size(); ++j)
          {
            const double d = lateral_distance(layout.spheres[i], layout.spheres[j]);
            if (d > 1e-3 * layout.spheres[i].radius)
              pitch = std::min(pitch, d);
          }
      return pitch == std::numeric_limits<double>::max() ? 2 * layout.spheres.at(0).radius : pitch;
    }

    // How one lateral side of the electrode wall meets the sphere lattice: the lines of spheres
    // that run into it (equal coordinate along the side), the distinct distances of each line's
    // outermost sphere centre from the wall, and the lines' spacing along the side.
    struct WallSideLattice
    {
      std::vector<double> offsets; // m
      double spacing = 0;          // m
    };

    // Side with normal axis d (0: x, 1: y) on the sign (-1: min, +1: max) end of the patch.
    WallSideLattice wall_side_lattice(const meshing::StreamLayout &layout, int d, int sign, double gap, double pitch)
    {
      const auto box   = layout.bounding_box();
      const double tol = 1e-3 * layout.spheres.front().radius;
      const double wall = sign < 0 ? box[0][d] - gap : box[1][d] + gap;
      std::map<long, double> offset_of_line;
      for (const auto &s : layout.spheres)
        {
          const long line = std::lround(s.centre[1 - d] / tol);
          const double o  = std::abs(wall - s.centre[d]);
          const auto it   = offset_of_line.find(line);
          if (it == offset_of_line.end() || o < it->second)
            offset_of_line[line] = o;
        }
      WallSideLattice side;
      std::vector<double> along;
      for (const auto &[line, o] : offset_of_line)
        {
          along.push_back(line * tol);
          if (std::none_of(side.offsets.begin(), side.offsets.end(), [&](double x) { return std::abs(x - o) < tol; }))
            side.offsets.push_back(o);
        }
      side.spacing = along.size() > 1 ? std::numeric_limits<double>::max() : pitch;
      for (std::size_t k = 1; k < along.size(); ++k)
        side.spacing = std::min(side.spacing, along[k] - along[k - 1]);
      return side;
    }

    std::string seconds_text(double s)
    {
      std::ostringstream o;
      o.precision(3);
      o << s << " s";
      return o.str();
    }
  } // namespace

  ChargingMode charging_mode_from_string(const std::string &name)
  {
    if (name == "backscatter only")
      return ChargingMode::backscatter_only;
    if (name == "field cap")
      return ChargingMode::field_cap;
    if (name == "murphy-good")
      return ChargingMode::murphy_good;
    throw InputError("Charging/Mode = '" + name + "': expected backscatter only|field cap|murphy-good");
  }

  ElectrodeModel electrode_model_from_string(const std::string &name)
  {
    if (name == "patch centre")
      return ElectrodeModel::patch_centre;
    if (name == "sheet model")
      return ElectrodeModel::sheet_model;
    if (name == "fixed")
      return ElectrodeModel::fixed;
    throw InputError("Charging/Electrodes = '" + name + "': expected patch centre|sheet model|fixed");
  }

  std::string to_string(ElectrodeModel model)
  {
    switch (model)
      {
        case ElectrodeModel::patch_centre:
          return "patch centre";
        case ElectrodeModel::sheet_model:
          return "sheet model";
        case ElectrodeModel::fixed:
          return "fixed";
      }
    return "?";
  }

  std::string to_string(ChargingMode mode)
  {
    switch (mode)
      {
        case ChargingMode::backscatter_only:
          return "backscatter only";
        case ChargingMode::field_cap:
          return "field cap";
        case ChargingMode::murphy_good:
          return "murphy-good";
      }
    return "?";
  }

  double ChargeState::potential_min() const
  {
    double m = std::numeric_limits<double>::max();
    for (const double p : potentials)
      m = std::min(m, p);
    return m;
  }

  double ChargeState::field_abs_max() const
  {
    double m = 0;
    for (const auto &f : fields)
      m = std::max(m, f.field_abs_max);
    return m;
  }

  double ChargeState::emission_field(std::size_t i) const
  {
    const auto &f = fields.at(i);
    if (charges.at(i) < 0)
      return -f.field_min;
    if (charges.at(i) > 0)
      return f.field_max;
    return std::max(-f.field_min, f.field_max);
  }

  double ChargeState::emission_field_max() const
  {
    double m = 0;
    for (std::size_t i = 0; i < fields.size(); ++i)
      m = std::max(m, emission_field(i));
    return m;
  }

  StreamCharging::StreamCharging(Electrostatics &es, const meshing::StreamLayout &layout, const BeamParameters &beam,
                                 const ChargingCoefficients &q, const ChargingSettings &settings, std::ostream *log)
    : es_(es)
    , layout_(layout)
    , beam_(beam)
    , q_(q)
    , settings_(settings)
    , log_(log)
  {
    validate(beam_);
    if (!(settings_.field_cap_V_per_m > 0) || !std::isfinite(settings_.field_cap_V_per_m))
      throw InputError("Charging/Field cap [V/m] = " + std::to_string(settings_.field_cap_V_per_m) + ": must be > 0");
    if (!(settings_.cap_tolerance > 0 && settings_.cap_tolerance < 0.5))
      throw InputError("Charging/Cap tolerance = " + std::to_string(settings_.cap_tolerance) + ": must be in (0, 0.5)");
    if (settings_.max_iterations == 0)
      throw InputError("Charging/Maximum iterations = 0: must be >= 1");
    if (!(settings_.plate_upper_z > settings_.plate_lower_z))
      throw InputError("Charging: the sheet model's upper plate must lie above the lower one");
    if (layout_.spheres.empty())
      throw InputError("Charging: the layout has no spheres");
    n_layers_   = layout_.layer_heights.size();
    electrodes_ = es_.electrode_layers();
    wall_       = es_.has_electrode_wall();
    pitch_      = lateral_pitch(layout_);
    n_electrode_ids_ = electrodes_.empty() ? n_layers_ : std::max<std::size_t>(n_layers_, electrodes_.back() + 1);
    for (const unsigned int id : electrodes_)
      electrode_heights_.push_back(wall_ ? es_.parameters().wall_node_heights.at(id) : layout_.layer_heights.at(id));
    V_fixed_.assign(electrodes_.size(), 0.0);
    if (settings_.electrodes == ElectrodeModel::fixed)
      for (std::size_t e = 0; e < electrodes_.size(); ++e)
        {
          if (electrodes_[e] >= settings_.fixed_electrode_potentials.size())
            throw InputError("Charging/Electrodes = fixed: no potential for electrode " +
                             std::to_string(electrodes_[e]) + " (give one value per " +
                             (wall_ ? "wall node" : "layer") + " in Charging/Fixed electrode potentials [V])");
          V_fixed_[e] = settings_.fixed_electrode_potentials[electrodes_[e]];
        }

    // Patch centre: spheres of each layer within R pitches (lateral) of the probe sphere; R grows
    // until every electrode layer has at least two (or all of its spheres).
    const auto &probe = layout_.spheres.at(layout_.probe_sphere);
    centre_sets_.assign(std::max<std::size_t>(n_layers_, 1), {});
    for (double R = settings_.centre_radius_pitches;; R += 0.5)
      {
        for (auto &s : centre_sets_)
          s.clear();
        for (std::size_t i = 0; i < layout_.spheres.size(); ++i)
          {
            const int l = layout_.spheres[i].layer;
            if (l >= 0 && static_cast<std::size_t>(l) < centre_sets_.size() &&
                lateral_distance(layout_.spheres[i], probe) <= R * pitch_ * (1 + 1e-9))
              centre_sets_[l].push_back(i);
          }
        bool enough = true;
        for (const unsigned int l : wall_ ? std::vector<unsigned int>{} : electrodes_)
          {
            std::size_t in_layer = 0;
            for (const auto &s : layout_.spheres)
              in_layer += s.layer == static_cast<int>(l);
            if (l >= centre_sets_.size() || centre_sets_[l].size() < std::min<std::size_t>(2, in_layer))
              enough = false;
          }
        if (enough || R > 100)
          break;
      }
  }

  void StreamCharging::say(const std::string &message) const
  {
    if (log_)
      *log_ << "[charging] " << message << std::endl;
  }

  std::vector<double> StreamCharging::sheet_model_potentials(const std::vector<double> &Q) const
  {
    // Laterally infinite stream = charged planes at the layer heights between two grounded
    // plates z = a (anode) and z = b (enclosure top): Green's function of the 1D Poisson
    // equation, phi(z) = sum_l sigma_l (z_< - a)(b - z_>) / (eps0 (b - a)). Areal charge of a
    // layer: its charge spread over the patch area N sqrt(3)/2 p^2 (hexagonal packing).
    const double a = settings_.plate_lower_z, b = settings_.plate_upper_z;
    const double area = layout_.spheres.size() * std::sqrt(3.0) / 2 * pitch_ * pitch_;
    std::vector<double> sigma(n_layers_, 0.0);
    for (std::size_t i = 0; i < layout_.spheres.size(); ++i)
      if (layout_.spheres[i].layer >= 0 && static_cast<std::size_t>(layout_.spheres[i].layer) < n_layers_)
        sigma[layout_.spheres[i].layer] += Q[i] / area;
    std::vector<double> V(n_layers_, 0.0);
    for (std::size_t k = 0; k < n_layers_; ++k)
      for (std::size_t l = 0; l < n_layers_; ++l)
        {
          const double zl = std::min(layout_.layer_heights[k], layout_.layer_heights[l]);
          const double zg = std::max(layout_.layer_heights[k], layout_.layer_heights[l]);
          V[k] += sigma[l] * (zl - a) * (b - zg) / (constants::vacuum_permittivity * (b - a));
        }
    return V;
  }

  double StreamCharging::sheet_model_potential_at(const std::vector<double> &Q, double z) const
  {
    // The same Green's function at any height z (the layer planes hold the charge).
    const double a = settings_.plate_lower_z, b = settings_.plate_upper_z;
    const double area = layout_.spheres.size() * std::sqrt(3.0) / 2 * pitch_ * pitch_;
    double phi = 0;
    for (std::size_t i = 0; i < layout_.spheres.size(); ++i)
      {
        const int l = layout_.spheres[i].layer;
        if (l < 0 || static_cast<std::size_t>(l) >= n_layers_)
          continue;
        const double zl = std::min(z, layout_.layer_heights[l]), zg = std::max(z, layout_.layer_heights[l]);
        phi += Q[i] / area * (zl - a) * (b - zg) / (constants::vacuum_permittivity * (b - a));
      }
    return phi;
  }

  std::vector<double> StreamCharging::electrode_potentials_for(const std::vector<double> &Q) const
  {
    std::vector<double> V(n_electrode_ids_, 0.0);
    if (electrodes_.empty())
      return V;
    if (T_.empty()) // before the responses: the sheet model's start values
      {
        for (std::size_t e = 0; e < electrodes_.size(); ++e)
          V.at(electrodes_[e]) = sheet_model_potential_at(Q, electrode_heights_[e]);
        return V;
      }
    for (std::size_t e = 0; e < electrodes_.size(); ++e)
      {
        double v = V_fixed_[e];
        for (std::size_t j = 0; j < Q.size(); ++j)
          v += T_[e][j] * Q[j];
        V.at(electrodes_[e]) = v;
      }
    return V;
  }

  std::vector<double> StreamCharging::centre_potentials(const std::vector<double> &phi) const
  {
    std::vector<double> c(centre_sets_.size(), 0.0);
    for (std::size_t l = 0; l < centre_sets_.size(); ++l)
      {
        for (const std::size_t i : centre_sets_[l])
          c[l] += phi[i];
        if (!centre_sets_[l].empty())
          c[l] /= centre_sets_[l].size();
      }
    return c;
  }

  ChargeState StreamCharging::solve_state(const std::vector<double> &Q)
  {
    ChargeState s;
    s.charges              = Q;
    s.electrode_potentials = electrode_potentials_for(Q);
    apply(s);
    s.potentials = es_.sphere_potentials();
    s.fields     = es_.sphere_fields();
    return s;
  }

  void StreamCharging::apply(const ChargeState &state)
  {
    es_.set_sphere_charges(state.charges);
    es_.set_electrode_potentials(state.electrode_potentials);
    es_.solve();
  }

  void StreamCharging::centre_rows_by_reciprocity()
  {
    // Backscatter only: the electrode consistency needs only the rows of P of the patch-centre
    // spheres; P is symmetric (reciprocity), so the row of sphere c is the potential response
    // to a unit charge on c: one solve per centre sphere.
    const std::size_t N = layout_.spheres.size();
    P_.assign(N, std::vector<double>(N, 0.0));
    std::vector<std::size_t> centre;
    for (const unsigned int l : electrodes_)
      for (const std::size_t c : centre_sets_.at(l))
        if (std::find(centre.begin(), centre.end(), c) == centre.end())
          centre.push_back(c);
    const auto t0 = std::chrono::steady_clock::now();
    for (std::size_t n = 0; n < centre.size(); ++n)
      {
        std::vector<double> Q(N, 0.0);
        Q[centre[n]] = 1e-15;
        es_.set_sphere_charges(Q);
        es_.set_electrode_potentials({});
        es_.solve(es_.parameters().response_tolerance); // a unit response, like compute_responses
        ++response_solves_;
        const auto phi = es_.sphere_potentials();
        for (std::size_t j = 0; j < N; ++j)
          P_[centre[n]][j] = phi[j] / 1e-15;
        const double elapsed = seconds_since(t0);
        say("centre-sphere response " + std::to_string(n + 1) + " of " + std::to_string(centre.size()) + ", " +
            seconds_text(elapsed) + " elapsed, about " + seconds_text(elapsed / (n + 1) * (centre.size() - n - 1)) +
            " left");
      }
  }

  void StreamCharging::electrode_potential_responses()
  {
    // Backscatter only: one solve per electrode at 1 V, charges zero, for Pv (the field-cap
    // and Murphy-Good modes get Pv and Sv from compute_responses).
    const std::size_t N = layout_.spheres.size(), E = electrodes_.size();
    Pv_.assign(N, std::vector<double>(E, 0.0));
    Sv_.clear();
    const auto t0 = std::chrono::steady_clock::now();
    for (std::size_t e = 0; e < E; ++e)
      {
        es_.set_sphere_charges(std::vector<double>(N, 0.0));
        std::vector<double> V(n_electrode_ids_, 0.0);
        V.at(electrodes_[e]) = 1.0;
        es_.set_electrode_potentials(V);
        es_.solve(es_.parameters().response_tolerance);
        ++response_solves_;
        const auto phi = es_.sphere_potentials();
        for (std::size_t i = 0; i < N; ++i)
          Pv_[i][e] = phi[i];
        const double elapsed = seconds_since(t0);
        say("electrode response " + std::to_string(e + 1) + " of " + std::to_string(E) + ", " +
            seconds_text(elapsed) + " elapsed, about " + seconds_text(elapsed / (e + 1) * (E - e - 1)) + " left");
      }
  }

  void StreamCharging::electrode_transfer()
  {
    // V = T Q + V_fixed for the electrode model.
    const std::size_t N = layout_.spheres.size(), E = electrodes_.size();
    T_.assign(E, std::vector<double>(N, 0.0));
    if (E == 0 || settings_.electrodes == ElectrodeModel::fixed)
      return;
    if (settings_.electrodes == ElectrodeModel::sheet_model)
      {
        // The sheet model is linear: column j = its potentials for a unit charge on sphere j.
        for (std::size_t j = 0; j < N; ++j)
          {
            std::vector<double> Q(N, 0.0);
            Q[j] = 1;
            for (std::size_t e = 0; e < E; ++e)
              T_[e][j] = sheet_model_potential_at(Q, electrode_heights_[e]);
          }
        return;
      }
    // Patch centre: V_e = K (P Q + Pv V), K the mean over the centre spheres of layer(e)
    // (frames) or over the node's wall-equivalent points (wall: K P = W_Q, K Pv = W_V):
    // V = (I - K Pv)^-1 K P Q = T Q.
    DenseMatrix KP(E, std::vector<double>(N, 0.0)), KPv(E, std::vector<double>(E, 0.0));
    if (wall_)
      {
        KP  = W_Q_;
        KPv = W_V_;
      }
    else
      for (std::size_t e = 0; e < E; ++e)
        {
          const auto &set = centre_sets_.at(electrodes_[e]);
          if (set.empty())
            throw InputError("Charging: no sphere of layer " + std::to_string(electrodes_[e]) +
                             " near the patch centre to make its electrode consistent with");
          for (const std::size_t i : set)
            {
              for (std::size_t j = 0; j < N; ++j)
                KP[e][j] += P_[i][j] / set.size();
              for (std::size_t f = 0; f < E; ++f)
                KPv[e][f] += Pv_[i][f] / set.size();
            }
        }
    DenseMatrix A(E, std::vector<double>(E));
    for (std::size_t e = 0; e < E; ++e)
      for (std::size_t f = 0; f < E; ++f)
        A[e][f] = (e == f ? 1.0 : 0.0) - KPv[e][f];
    for (std::size_t j = 0; j < N; ++j)
      {
        std::vector<double> rhs(E);
        for (std::size_t e = 0; e < E; ++e)
          rhs[e] = KP[e][j];
        const auto col = solve_dense(A, rhs);
        for (std::size_t e = 0; e < E; ++e)
          T_[e][j] = col[e];
      }
  }

  void StreamCharging::effective_rows()
  {
    const std::size_t N = layout_.spheres.size(), E = electrodes_.size(), K = points_.size();
    rows_ = S_;
    row_offset_.assign(K, 0.0);
    for (std::size_t k = 0; k < K; ++k)
      for (std::size_t e = 0; e < E; ++e)
        {
          row_offset_[k] += Sv_[k][e] * V_fixed_[e];
          for (std::size_t j = 0; j < N; ++j)
            rows_[k][j] += Sv_[k][e] * T_[e][j];
        }
  }

  void StreamCharging::compute_responses(bool full)
  {
    const std::size_t N = layout_.spheres.size();
    const bool wall_centre = wall_ && settings_.electrodes == ElectrodeModel::patch_centre;
    if (wall_centre)
      wall_window_responses();
    if (!full)
      {
        // The wall needs at most its window means (above) for V = T Q.
        if (!wall_)
          {
            centre_rows_by_reciprocity();
            electrode_potential_responses();
          }
      }
    else
      {
        points_ = make_surface_points(layout_, settings_.points);
        std::vector<SurfacePoint> where;
        for (std::size_t k = 0; k < points_.size(); ++k)
          where.push_back({points_.sphere[k], points_.point[k]});
        say("responses: " + std::to_string(N) + " unit solves and " + std::to_string(electrodes_.size()) +
            " electrode solves, fields at " + std::to_string(points_.size()) + " surface points (" +
            std::to_string(points_.size() / N) + " per sphere)");
        es_.set_electrode_potentials({});
        const auto r = es_.compute_responses(where);
        P_           = r.potential_coefficients;
        S_           = r.surface_field_per_charge;
        Pv_          = r.potential_per_electrode_volt; // electrodes_ is es_.electrode_layers()
        Sv_          = r.surface_field_per_electrode_volt;
        response_solves_ += r.solves;
      }
    electrode_transfer();
    if (full)
      effective_rows();
    responses_ready_ = true;
  }

  std::vector<Point3> StreamCharging::centre_window(double z) const
  {
    const auto &probe  = layout_.spheres.at(layout_.probe_sphere);
    const double reach = settings_.centre_radius_pitches * pitch_, step = pitch_ / 4;
    const int n        = static_cast<int>(std::floor(reach / step));
    std::vector<Point3> points;
    for (int i = -n; i <= n; ++i)
      for (int j = -n; j <= n; ++j)
        if (std::hypot(i * step, j * step) <= reach)
          points.push_back({probe.centre[0] + i * step, probe.centre[1] + j * step, z});
    return points;
  }

  std::vector<Point3> StreamCharging::wall_equivalent_points(double z) const
  {
    const auto box    = layout_.bounding_box(); // sphere surfaces included
    const auto &probe = layout_.spheres.at(layout_.probe_sphere);
    // Per centre-disc sphere its points; preferred are the spheres whose points all stay
    // within the patch (else, on small patches, the disc's points inside the wall).
    std::vector<std::vector<Point3>> per_sphere(layout_.spheres.size());
    constexpr int n_along = 6;
    for (int d = 0; d < 2; ++d)
      for (const int sign : {-1, 1})
        {
          const int a     = 1 - d; // along the side
          const auto side = wall_side_lattice(layout_, d, sign, settings_.wall_gap_m, pitch_);
          for (std::size_t i = 0; i < layout_.spheres.size(); ++i)
            {
              const auto &c = layout_.spheres[i];
              if (lateral_distance(c, probe) > settings_.centre_radius_pitches * pitch_ * (1 + 1e-9))
                continue;
              for (const double o : side.offsets)
                for (int k = 0; k < n_along; ++k)
                  {
                    Point3 p{0, 0, z};
                    p[d] = c.centre[d] + sign * o;
                    p[a] = c.centre[a] + side.spacing * ((k + 0.5) / n_along - 0.5);
                    per_sphere[i].push_back(p);
                  }
            }
        }
    const auto within = [&](const Point3 &p, double margin) {
      return p[0] >= box[0][0] - margin && p[0] <= box[1][0] + margin && p[1] >= box[0][1] - margin &&
             p[1] <= box[1][1] + margin;
    };
    std::vector<Point3> interior, inside_wall;
    for (const auto &pts : per_sphere)
      {
        if (!pts.empty() && std::all_of(pts.begin(), pts.end(), [&](const Point3 &p) { return within(p, 0); }))
          interior.insert(interior.end(), pts.begin(), pts.end());
        for (const auto &p : pts)
          if (within(p, settings_.wall_gap_m * (1 - 1e-9)))
            inside_wall.push_back(p);
      }
    return interior.empty() ? inside_wall : interior;
  }

  void StreamCharging::wall_window_responses()
  {
    std::vector<std::vector<Point3>> windows;
    for (const double z : electrode_heights_)
      windows.push_back(wall_equivalent_points(z));
    say("electrode wall: " + std::to_string(windows.size()) + " mean-potential responses (" +
        std::to_string(windows.front().size()) + " wall-equivalent points per node)");
    const auto r = es_.mean_potential_responses(windows);
    W_Q_ = r.per_charge;
    W_V_ = r.per_electrode_volt;
    response_solves_ += r.solves;
  }

  double StreamCharging::wall_consistency_error(const ChargeState &state) const
  {
    if (!wall_ || settings_.electrodes != ElectrodeModel::patch_centre)
      return 0;
    const auto means = wall_equivalent_means(); // the state is in place
    double err = 0, scale = 0;
    for (std::size_t e = 0; e < electrodes_.size(); ++e)
      {
        const double V = state.electrode_potentials.at(electrodes_[e]);
        err   = std::max(err, std::abs(means[e] - V));
        scale = std::max(scale, std::abs(V));
      }
    return scale > 0 ? err / scale : 0.0;
  }

  std::vector<double> StreamCharging::wall_equivalent_means() const
  {
    std::vector<std::vector<Point3>> sets;
    for (const double z : electrode_heights_)
      sets.push_back(wall_equivalent_points(z));
    return es_.mean_potentials(sets);
  }

  std::vector<double> StreamCharging::centre_window_means(const std::vector<double> &heights) const
  {
    std::vector<std::vector<Point3>> sets;
    for (const double z : heights)
      sets.push_back(centre_window(z));
    return es_.mean_potentials(sets);
  }

  double StreamCharging::point_model_error(const ChargeState &state) const
  {
    std::vector<SurfacePoint> where;
    for (std::size_t k = 0; k < points_.size(); ++k)
      where.push_back({points_.sphere[k], points_.point[k]});
    const auto En = es_.surface_fields_at(where); // the state is in place
    double err = 0, scale = 0;
    for (std::size_t k = 0; k < points_.size(); ++k)
      {
        double model = row_offset_[k];
        for (std::size_t j = 0; j < state.charges.size(); ++j)
          model += rows_[k][j] * state.charges[j];
        err   = std::max(err, std::abs(model - En[k]));
        scale = std::max(scale, std::abs(En[k]));
      }
    return scale > 0 ? err / scale : 0.0;
  }

  ChargeState StreamCharging::field_cap_state(const std::vector<double> &Q0, ChargingResult &result)
  {
    // The cap limits the emission-direction field (ChargeState::emission_field).
    // The model is exact at the sampled points (linearity); the FE surface field is P1 on the
    // surface triangles, so its true maximum sits at a vertex between them and is a few %
    // higher in the peaks. After each confirming solve the cap of every sphere at or above it
    // is scaled by sqrt(cap / its max), a damped fixed-point iteration with one solve per step.
    // If that has not converged after 4 solves, the max points of the spheres that miss are
    // added as constraint points (a refresh, N + 1 + L solves) and the iteration goes on.
    const std::size_t N = Q0.size();
    const double cap    = settings_.field_cap_V_per_m;
    std::vector<double> factor(N, 1.0);
    double worst = 0;
    ChargeState state;
    for (unsigned int it = 1; it <= settings_.max_iterations; ++it)
      {
        std::vector<FieldConstraintRow> rows(rows_.size());
        for (std::size_t k = 0; k < rows_.size(); ++k)
          rows[k] = {points_.sphere[k], rows_[k], row_offset_[k], cap * factor[points_.sphere[k]]};
        const auto fc     = solve_field_cap_multipoint(rows, Q0);
        state             = solve_state(fc.charges);
        result.capped     = fc.capped;
        result.infeasible = fc.infeasible;
        result.iterations = it;
        bool converged    = true;
        worst             = 0;
        std::vector<bool> is_capped(N, false), at_zero(N, false);
        for (const auto i : fc.capped)
          is_capped[i] = true;
        // A sphere at zero charge whose field stays above the cap is polarised by its
        // neighbours: losing more would reverse its sign, which this model forbids. Reported
        // (ChargingResult::infeasible), not iterated on.
        for (const auto i : fc.infeasible)
          at_zero[i] = true;
        std::vector<std::size_t> missing;
        for (std::size_t i = 0; i < N; ++i)
          {
            if (at_zero[i])
              continue;
            const double dev = state.emission_field(i) / cap - 1;
            const bool miss  = dev > settings_.cap_tolerance || (is_capped[i] && dev < -settings_.cap_tolerance);
            if (miss)
              {
                converged = false;
                missing.push_back(i);
              }
            worst = std::max(worst, is_capped[i] || dev > 0 ? std::abs(dev) : 0.0);
            // Half steps (square root): spheres facing each other across a 0.1 um gap set each
            // other's peak field, and full steps made such pairs alternate (2-cycle seen on the
            // 6-sphere test stream); the fixed point is the same.
            if (is_capped[i] || dev > 0)
              factor[i] /= std::sqrt(1 + dev);
          }
        std::ostringstream m;
        m << "field cap, confirming solve " << it << ": " << points_.size() << " constraint points, "
          << fc.capped.size() << " spheres capped, " << fc.infeasible.size() << " at zero charge, "
          << fc.iterations << " active-set iterations, min potential " << state.potential_min()
          << " V, max emission-direction field " << state.emission_field_max() << " V/m (max |E.n| "
          << state.field_abs_max() << " V/m), largest deviation from the cap " << worst;
        say(m.str());
        if (converged)
          return state;
        if (it >= 4 && result.refreshes < settings_.max_refreshes)
          {
            // New points where the confirming solve has its maxima; their responses need the
            // unit solves again (the unit solutions are not kept).
            const auto before = points_.size();
            for (const auto i : missing)
              points_.add(i, state.fields[i].field_abs_max_location, 0.0);
            std::vector<SurfacePoint> where;
            for (std::size_t k = before; k < points_.size(); ++k)
              where.push_back({points_.sphere[k], points_.point[k]});
            say("refresh: " + std::to_string(where.size()) + " new constraint points (" + std::to_string(N) +
                " + " + std::to_string(electrodes_.size()) + " solves)");
            es_.set_electrode_potentials({});
            const auto r = es_.compute_responses(where);
            response_solves_ += r.solves;
            S_.insert(S_.end(), r.surface_field_per_charge.begin(), r.surface_field_per_charge.end());
            Sv_.insert(Sv_.end(), r.surface_field_per_electrode_volt.begin(), r.surface_field_per_electrode_volt.end());
            effective_rows();
            ++result.refreshes;
          }
      }
    std::ostringstream m;
    m << "Charging (field cap): the confirming solve misses the cap by more than " << settings_.cap_tolerance
      << " (relative) after " << result.iterations << " confirming solves and " << result.refreshes
      << " constraint-point refreshes (largest relative deviation " << worst << ")";
    throw RuntimeFailure(m.str());
  }

  ChargeState StreamCharging::murphy_good_state(const std::vector<double> &I_beam, double dwell,
                                                ChargingResult &result)
  {
    // The emission integral over the points with the point responses: by linearity exact at
    // the points, so no re-sampling; one confirming solve.
    PointFieldModel model;
    model.n_spheres        = layout_.spheres.size();
    model.sphere           = points_.sphere;
    model.field_per_charge = rows_;
    model.offset           = row_offset_;
    model.area_m2          = points_.area_m2;
    const auto res         = integrate_emission_discharge(model, I_beam, dwell, settings_.emission);
    auto state             = solve_state(res.charges);
    result.iterations      = 1;
    result.emitted_charge  = res.emitted_charge;
    std::ostringstream m;
    m << "Murphy-Good: Newton " << res.newton_iterations << " (max " << res.max_newton_per_step
      << " per step), min potential " << state.potential_min() << " V, max |E.n| " << state.field_abs_max()
      << " V/m (at the points " << *std::max_element(res.reference_field.begin(), res.reference_field.end())
      << " V/m)";
    say(m.str());
    return state;
  }

  ChargingResult StreamCharging::run()
  {
    const std::size_t N = layout_.spheres.size();
    ChargingResult result;
    const auto Q0 = backscatter_only_charges_C(beam_, layout_, q_);
    const bool full = settings_.mode != ChargingMode::backscatter_only;

    auto t0 = std::chrono::steady_clock::now();
    compute_responses(full);
    result.response_solves   = response_solves_;
    result.surface_points    = points_.size();
    result.seconds_responses = seconds_since(t0);
    say("responses: " + std::to_string(response_solves_) + " solves, " + seconds_text(result.seconds_responses));

    t0                             = std::chrono::steady_clock::now();
    result.sheet_model_potentials  = sheet_model_potentials(Q0);
    result.backscatter_only        = solve_state(Q0);
    result.centre_potentials       = centre_potentials(result.backscatter_only.potentials);
    result.model_error             = wall_consistency_error(result.backscatter_only);
    if (full)
      {
        // Check of the linear model: phi = P Q0 + Pv V against the full solve.
        double err = 0, scale = 0;
        for (std::size_t i = 0; i < N; ++i)
          {
            double phi = 0;
            for (std::size_t j = 0; j < N; ++j)
              phi += P_[i][j] * Q0[j];
            for (std::size_t e = 0; e < electrodes_.size(); ++e)
              phi += Pv_[i][e] * result.backscatter_only.electrode_potentials[electrodes_[e]];
            err   = std::max(err, std::abs(phi - result.backscatter_only.potentials[i]));
            scale = std::max(scale, std::abs(result.backscatter_only.potentials[i]));
          }
        result.model_error = std::max(result.model_error, scale > 0 ? err / scale : 0);
      }
    result.seconds_backscatter = seconds_since(t0);
    t0                         = std::chrono::steady_clock::now();
    {
      std::ostringstream m;
      m << "backscatter only: min sphere potential " << result.backscatter_only.potential_min()
        << " V, max |E.n| " << result.backscatter_only.field_abs_max() << " V/m, probe sphere "
        << result.backscatter_only.potentials[layout_.probe_sphere] << " V";
      say(m.str());
    }
    if (settings_.mode == ChargingMode::backscatter_only)
      result.final_state = result.backscatter_only;
    else if (settings_.mode == ChargingMode::field_cap)
      result.final_state = field_cap_state(Q0, result);
    else
      result.final_state = murphy_good_state(beam_charging_currents_A(beam_, layout_, q_), dwell_time_s(beam_), result);
    if (full)
      result.model_error = std::max(result.model_error, point_model_error(result.final_state));
    result.emitted_charge.resize(N);
    for (std::size_t i = 0; i < N; ++i)
      result.emitted_charge[i] = result.final_state.charges[i] - Q0[i];
    result.response_solves = response_solves_;
    result.surface_points  = points_.size();
    result.seconds_mode    = seconds_since(t0);
    return result;
  }

  std::vector<SweepPoint> StreamCharging::sweep(const std::vector<SweepCase> &cases)
  {
    if (!responses_ready_ || (settings_.mode != ChargingMode::backscatter_only && rows_.empty()))
      throw RuntimeFailure("Charging sweep: run() must come first (it computes the responses)");
    const auto V_saved = V_fixed_;
    std::vector<SweepPoint> out;
    for (std::size_t n = 0; n < cases.size(); ++n)
      {
        const auto &c = cases[n];
        validate(c.beam);
        if (!std::isnan(c.electrode_potential_V))
          {
            if (settings_.electrodes != ElectrodeModel::fixed)
              throw InputError("Charging: an electrode-potential sweep needs Charging/Electrodes = fixed");
            std::fill(V_fixed_.begin(), V_fixed_.end(), c.electrode_potential_V);
            if (!rows_.empty())
              effective_rows(); // the offsets follow the electrodes
          }
        const auto coeff = ChargingCoefficients::uniform(c.q_muP);
        const auto Q0    = backscatter_only_charges_C(c.beam, layout_, coeff);
        SweepPoint p;
        p.tube_voltage_V        = c.beam.tube_voltage;
        p.q_muP                 = c.q_muP;
        p.electrode_potential_V = c.electrode_potential_V;
        const auto bs           = solve_state(Q0);
        p.backscatter_only_potential_min_V   = bs.potential_min();
        p.backscatter_only_field_max_V_per_m = bs.field_abs_max();
        p.probe_backscatter_only_V           = bs.potentials[layout_.probe_sphere];
        ChargingResult r;
        ChargeState final_state = bs;
        if (settings_.mode == ChargingMode::field_cap)
          final_state = field_cap_state(Q0, r);
        else if (settings_.mode == ChargingMode::murphy_good)
          final_state =
            murphy_good_state(beam_charging_currents_A(c.beam, layout_, coeff), dwell_time_s(c.beam), r);
        p.potential_min_V   = final_state.potential_min();
        p.field_max_V_per_m = final_state.field_abs_max();
        p.probe_V           = final_state.potentials[layout_.probe_sphere];
        p.capped            = r.capped.size();
        p.iterations        = r.iterations;
        std::ostringstream m;
        m << "sweep " << n + 1 << " of " << cases.size() << ": " << p.tube_voltage_V << " V, q " << p.q_muP;
        if (!std::isnan(c.electrode_potential_V))
          m << ", electrodes " << c.electrode_potential_V << " V";
        m << ": backscatter only " << p.backscatter_only_potential_min_V << " V, " << to_string(settings_.mode) << " "
          << p.potential_min_V << " V";
        say(m.str());
        out.push_back(p);
      }
    V_fixed_ = V_saved;
    if (!rows_.empty())
      effective_rows();
    return out;
  }
} // namespace mpstream::solver
