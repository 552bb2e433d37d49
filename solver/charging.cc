#include "solver/charging.h"

#include "common/constants.h"
#include "common/error.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
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

    // Patch centre: spheres of each layer within R pitches (lateral) of the probe sphere; R grows
    // until every electrode layer has at least two (or all of its spheres).
    double pitch = std::numeric_limits<double>::max();
    for (std::size_t i = 0; i < layout_.spheres.size(); ++i)
      for (std::size_t j = i + 1; j < layout_.spheres.size(); ++j)
        {
          const double d = lateral_distance(layout_.spheres[i], layout_.spheres[j]);
          if (d > 1e-3 * layout_.spheres[i].radius)
            pitch = std::min(pitch, d);
        }
    if (pitch == std::numeric_limits<double>::max())
      pitch = 2 * layout_.spheres[0].radius;
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
                lateral_distance(layout_.spheres[i], probe) <= R * pitch * (1 + 1e-9))
              centre_sets_[l].push_back(i);
          }
        bool enough = true;
        for (const unsigned int l : electrodes_)
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

  std::vector<double> StreamCharging::sheet_model_potentials(const std::vector<double> &Q) const
  {
    // Laterally infinite stream = charged planes at the layer heights between two grounded
    // plates z = a (anode) and z = b (enclosure top): Green's function of the 1D Poisson
    // equation, phi(z) = sum_l sigma_l (z_< - a)(b - z_>) / (eps0 (b - a)). Areal charge of a
    // layer: its charge spread over the patch area N sqrt(3)/2 p^2 (hexagonal packing).
    const double a = settings_.plate_lower_z, b = settings_.plate_upper_z;
    double pitch   = std::numeric_limits<double>::max();
    for (std::size_t i = 0; i < layout_.spheres.size(); ++i)
      for (std::size_t j = i + 1; j < layout_.spheres.size(); ++j)
        {
          const double d = lateral_distance(layout_.spheres[i], layout_.spheres[j]);
          if (d > 1e-3 * layout_.spheres[i].radius)
            pitch = std::min(pitch, d);
        }
    if (pitch == std::numeric_limits<double>::max())
      pitch = 2 * layout_.spheres[0].radius;
    const double area = layout_.spheres.size() * std::sqrt(3.0) / 2 * pitch * pitch;
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

  std::vector<double> StreamCharging::electrode_potentials_for(const std::vector<double> &Q) const
  {
    std::vector<double> V(n_layers_, 0.0);
    if (electrodes_.empty())
      return V;
    if (!settings_.consistent_electrodes || T_.empty())
      {
        const auto sheet = sheet_model_potentials(Q);
        for (const unsigned int l : electrodes_)
          V.at(l) = sheet.at(l);
        return V;
      }
    for (std::size_t e = 0; e < electrodes_.size(); ++e)
      {
        double v = 0;
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

  void StreamCharging::compute_responses()
  {
    const std::size_t N = layout_.spheres.size(), E = electrodes_.size();
    if (settings_.mode == ChargingMode::backscatter_only)
      {
        // Only the electrodes' consistency needs responses, and it needs only the rows of P
        // of the patch-centre spheres: by reciprocity (P symmetric) one unit solve per centre
        // sphere gives its row. No field responses.
        P_.assign(N, std::vector<double>(N, 0.0));
        S_.assign(N, std::vector<double>(N, 0.0));
        for (const auto &f : es_.sphere_fields())
          reference_points_.push_back(f.field_abs_max_location);
        std::vector<bool> done(N, false);
        for (const unsigned int l : electrodes_)
          for (const std::size_t c : centre_sets_.at(l))
            if (!done[c])
              {
                std::vector<double> Q(N, 0.0);
                Q[c] = 1e-15;
                es_.set_sphere_charges(Q);
                es_.set_electrode_potentials({});
                es_.solve();
                ++response_solves_;
                const auto phi = es_.sphere_potentials();
                for (std::size_t j = 0; j < N; ++j)
                  P_[c][j] = phi[j] / 1e-15;
                done[c] = true;
              }
      }
    else
      {
        // Charges: N unit solves inside Electrostatics (same operator and AMG); the field
        // reference points are the max-|E.n| points of the solve in place (the reference state).
        const auto r      = es_.compute_responses();
        P_                = r.potential_coefficients;
        S_                = r.field_per_charge;
        reference_points_ = r.field_points;
        response_solves_ += N + 1;
      }
    // Electrodes: one solve per electrode at 1 V, charges zero.
    Pv_.assign(N, std::vector<double>(E, 0.0));
    Sv_.assign(N, std::vector<double>(E, 0.0));
    for (std::size_t e = 0; e < E; ++e)
      {
        es_.set_sphere_charges(std::vector<double>(N, 0.0));
        std::vector<double> V(n_layers_, 0.0);
        V.at(electrodes_[e]) = 1.0;
        es_.set_electrode_potentials(V);
        es_.solve();
        ++response_solves_;
        const auto phi = es_.sphere_potentials();
        for (std::size_t i = 0; i < N; ++i)
          {
            Pv_[i][e] = phi[i];
            Sv_[i][e] = es_.surface_field_at(i, reference_points_[i]);
          }
      }
    // Consistency V_e = mean phi of the centre spheres of layer(e) = K (P Q + Pv V):
    // V = (I - K Pv)^-1 K P Q = T Q.
    T_.assign(E, std::vector<double>(N, 0.0));
    if (E > 0 && settings_.consistent_electrodes)
      {
        DenseMatrix KP(E, std::vector<double>(N, 0.0)), KPv(E, std::vector<double>(E, 0.0));
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
    else if (E > 0)
      T_.clear(); // sheet-model electrodes: not linear in this form; fields then need Sv V
    for (std::size_t i = 0; i < N; ++i)
      rows_.push_back({i, S_[i], Sv_[i]});
    model_.field_per_charge = S_;
    model_.field_offset.clear();
    if (!T_.empty())
      for (std::size_t i = 0; i < N; ++i)
        for (std::size_t j = 0; j < N; ++j)
          for (std::size_t e = 0; e < E; ++e)
            model_.field_per_charge[i][j] += Sv_[i][e] * T_[e][j];
  }

  void StreamCharging::add_constraint_rows()
  {
    const std::size_t N = layout_.spheres.size(), E = electrodes_.size();
    const auto r = es_.compute_responses(); // at the max-|E.n| points of the solution in place
    response_solves_ += N + 1;
    std::vector<RawRow> fresh(N);
    for (std::size_t i = 0; i < N; ++i)
      fresh[i] = {i, r.field_per_charge[i], std::vector<double>(E, 0.0)};
    for (std::size_t e = 0; e < E; ++e)
      {
        es_.set_sphere_charges(std::vector<double>(N, 0.0));
        std::vector<double> V(n_layers_, 0.0);
        V.at(electrodes_[e]) = 1.0;
        es_.set_electrode_potentials(V);
        es_.solve();
        ++response_solves_;
        for (std::size_t i = 0; i < N; ++i)
          fresh[i].per_volt[e] = es_.surface_field_at(i, r.field_points[i]);
      }
    rows_.insert(rows_.end(), fresh.begin(), fresh.end());
  }

  std::vector<FieldConstraintRow> StreamCharging::effective_rows(double cap) const
  {
    const std::size_t N = layout_.spheres.size();
    std::vector<FieldConstraintRow> rows;
    for (const auto &raw : rows_)
      {
        FieldConstraintRow row{raw.sphere, raw.per_charge, 0.0, cap};
        if (!T_.empty())
          for (std::size_t j = 0; j < N; ++j)
            for (std::size_t e = 0; e < raw.per_volt.size(); ++e)
              row.field_per_charge[j] += raw.per_volt[e] * T_[e][j];
        rows.push_back(std::move(row));
      }
    return rows;
  }

  std::vector<EmissionSurface> StreamCharging::sample_surfaces(std::vector<double> &reference_fields) const
  {
    // Fibonacci lattice: M nearly equal-area points per sphere; shape = E.n(x_k) / E.n(x_i).
    const std::size_t N = layout_.spheres.size();
    const unsigned int M = std::max(8u, settings_.surface_samples);
    const double golden  = constants::pi * (3 - std::sqrt(5.0));
    std::vector<EmissionSurface> surfaces(N);
    reference_fields.assign(N, 0.0);
    double largest = 0;
    for (std::size_t i = 0; i < N; ++i)
      {
        reference_fields[i] = es_.surface_field_at(i, reference_points_[i]);
        largest             = std::max(largest, std::abs(reference_fields[i]));
      }
    for (std::size_t i = 0; i < N; ++i)
      {
        const auto &s = layout_.spheres[i];
        auto &surf    = surfaces[i];
        surf.area_m2.assign(M, 4 * constants::pi * s.radius * s.radius / M);
        surf.shape.assign(M, 0.0);
        for (unsigned int k = 0; k < M; ++k)
          {
            const double z = 1 - 2 * (k + 0.5) / M, rho = std::sqrt(1 - z * z), a = golden * k;
            const Point3 p{s.centre[0] + s.radius * rho * std::cos(a), s.centre[1] + s.radius * rho * std::sin(a),
                           s.centre[2] + s.radius * z};
            const double En = es_.surface_field_at(i, p);
            // A sphere whose reference field is ~0 carries no emission in this model.
            if (std::abs(reference_fields[i]) > 1e-6 * largest)
              surf.shape[k] = En / reference_fields[i];
          }
        // The reference point itself, with a small weight: keeps the peak in the sample.
      }
    return surfaces;
  }

  ChargingResult StreamCharging::run()
  {
    const std::size_t N = layout_.spheres.size();
    ChargingResult result;
    const auto Q0     = backscatter_only_charges_C(beam_, layout_, q_);
    const auto I_beam = beam_charging_currents_A(beam_, layout_, q_);
    auto say          = [&](const std::string &m) {
      if (log_)
        *log_ << "[charging] " << m << std::endl;
    };

    // Reference solve: backscatter-only charges, electrodes from the sheet model.
    auto t0                        = std::chrono::steady_clock::now();
    result.sheet_model_potentials  = sheet_model_potentials(Q0);
    const ChargeState reference    = solve_state(Q0);
    result.seconds_reference       = seconds_since(t0);

    t0 = std::chrono::steady_clock::now();
    compute_responses();
    result.response_solves   = response_solves_;
    result.seconds_responses = seconds_since(t0);
    {
      std::ostringstream m;
      m << "responses: " << response_solves_ << " solves, " << result.seconds_responses << " s";
      say(m.str());
    }

    // Backscatter-only state with consistent electrodes.
    result.backscatter_only  = solve_state(Q0);
    result.centre_potentials = centre_potentials(result.backscatter_only.potentials);
    if (settings_.mode != ChargingMode::backscatter_only)
    {
      // Check of the linear model: phi = (P + Pv T) Q0 against the full solve.
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
      result.linear_model_error = scale > 0 ? err / scale : 0;
    }

    {
      std::ostringstream m;
      m << "backscatter only: min sphere potential " << result.backscatter_only.potential_min()
        << " V, max |E.n| " << result.backscatter_only.field_abs_max() << " V/m, probe sphere "
        << result.backscatter_only.potentials[layout_.probe_sphere] << " V";
      say(m.str());
    }
    t0 = std::chrono::steady_clock::now();
    const double cap = settings_.field_cap_V_per_m;
    if (settings_.mode == ChargingMode::backscatter_only)
      {
        result.final_state = result.backscatter_only;
        result.emitted_charge.assign(N, 0.0);
      }
    else if (settings_.mode == ChargingMode::field_cap)
      {
        // Constraint points: each sphere's max-|E.n| point of the reference state; after each
        // confirming solve that misses the cap, the new max points are added (a refresh).
        // Per-sphere factor on the caps of its constraint points: the FE surface field has
        // vertex-scale peaks (a few % at the default mesh, doc/electrostatics.md) that no finite
        // point set follows; after each confirming solve the factor of every sphere that is at
        // the cap or above it is scaled by cap / (its max |E.n|), a fixed-point iteration with
        // one solve per step.
        std::vector<double> factor(N, 1.0);
        bool converged = false;
        double worst   = 0;
        for (unsigned int it = 1; it <= settings_.max_iterations; ++it)
          {
            auto rows = effective_rows(cap);
            for (auto &row : rows)
              row.cap *= factor[row.sphere];
            const auto fc      = solve_field_cap_multipoint(rows, Q0);
            result.final_state = solve_state(fc.charges);
            result.capped      = fc.capped;
            result.infeasible  = fc.infeasible;
            result.iterations  = it;
            converged          = true;
            worst              = 0;
            std::vector<bool> is_capped(N, false), at_zero(N, false);
            for (const auto i : fc.capped)
              is_capped[i] = true;
            // A sphere at zero charge whose field stays above the cap is polarised by its
            // neighbours: losing more would reverse its sign, which this model forbids. Such
            // spheres are reported (ChargingResult::infeasible), not iterated on.
            for (const auto i : fc.infeasible)
              at_zero[i] = true;
            for (std::size_t i = 0; i < N; ++i)
              {
                if (at_zero[i])
                  continue;
                const double dev = result.final_state.fields[i].field_abs_max / cap - 1;
                if (dev > settings_.cap_tolerance || (is_capped[i] && dev < -settings_.cap_tolerance))
                  converged = false;
                worst = std::max(worst, is_capped[i] || dev > 0 ? std::abs(dev) : 0.0);
                if (is_capped[i] || dev > 0)
                  factor[i] /= 1 + dev;
              }
            std::ostringstream m;
            m << "field cap iteration " << it << ": " << rows_.size() << " constraint points, " << fc.capped.size()
              << " spheres capped, " << fc.infeasible.size() << " at zero charge, active-set iterations "
              << fc.iterations << ", max |E| " << result.final_state.field_abs_max()
              << " V/m, largest deviation from the cap " << worst;
            say(m.str());
            if (converged)
              break;
            // First the max points that moved are added (N + 1 + L solves each, up to
            // max_refreshes times, factors restarted), then only the cheap factor updates.
            if (result.refreshes < settings_.max_refreshes)
              {
                add_constraint_rows(); // at the max points of the confirming solve just done
                ++result.refreshes;
                std::fill(factor.begin(), factor.end(), 1.0);
              }
          }
        result.response_solves = response_solves_;
        if (!converged)
          {
            std::ostringstream m;
            m << "Charging (field cap): the confirming solve misses the cap by more than "
              << settings_.cap_tolerance << " (relative) after " << result.iterations << " iterations and "
              << result.refreshes << " constraint-point refreshes (largest relative deviation " << worst << ")";
            throw RuntimeFailure(m.str());
          }
        result.emitted_charge.resize(N);
        for (std::size_t i = 0; i < N; ++i)
          result.emitted_charge[i] = result.final_state.charges[i] - Q0[i];
      }
    else
      {
        // Murphy-Good: integrate from uncharged spheres at the FS entry; the surface field
        // pattern comes from the last full solve (first the backscatter-only state).
        std::vector<double> previous;
        bool converged = false;
        double change  = 0;
        for (unsigned int it = 1; it <= settings_.max_iterations; ++it)
          {
            std::vector<double> Fref;
            const auto surfaces = sample_surfaces(Fref);
            const auto res      = integrate_emission_discharge(model_, I_beam, dwell_time_s(beam_), surfaces,
                                                          settings_.emission);
            result.final_state  = solve_state(res.charges);
            result.emitted_charge = res.emitted_charge;
            result.iterations   = it;
            change              = 0;
            double scale        = 0;
            for (std::size_t i = 0; i < N; ++i)
              {
                scale = std::max(scale, std::abs(res.charges[i]));
                if (!previous.empty())
                  change = std::max(change, std::abs(res.charges[i] - previous[i]));
              }
            change   = previous.empty() ? 1.0 : change / scale;
            previous = res.charges;
            std::ostringstream m;
            m << "Murphy-Good iteration " << it << ": Newton " << res.newton_iterations << " (max "
              << res.max_newton_per_step << " per step), max |E| " << result.final_state.field_abs_max()
              << " V/m, charge change " << change;
            say(m.str());
            if (change < settings_.charge_tolerance)
              {
                converged = true;
                break;
              }
          }
        if (!converged)
          {
            std::ostringstream m;
            m << "Charging (Murphy-Good): exit charges still changed by " << change << " (relative) after "
              << settings_.max_iterations << " surface re-samplings";
            throw RuntimeFailure(m.str());
          }
      }
    result.seconds_mode = seconds_since(t0);
    (void)reference;
    return result;
  }
} // namespace mpstream::solver
