#pragma once
// Constitutive laws the heat solver needs, per reference volume (the mesh does not follow
// thermal expansion, so mass per element is fixed: H is enthalpy per reference volume).
// Plain C++: the deal.II solver sees only this interface, so verification cases with constant
// properties use exactly the same code path as tungsten.
namespace mpstream::solver
{
  class ThermalMaterial
  {
  public:
    virtual ~ThermalMaterial() = default;
    // Volumetric enthalpy H(T) [J/m^3] relative to an arbitrary fixed reference, incl. latent heat.
    virtual double enthalpy(double T) const = 0;
    // Apparent heat capacity dH/dT [J/(m^3 K)].
    virtual double heat_capacity(double T) const = 0;
    virtual double conductivity(double T) const = 0;            // W/(m K)
    virtual double conductivity_derivative(double T) const = 0; // W/(m K^2)
    // Outward surface heat flux [W/m^2] and its derivative [W/(m^2 K)].
    virtual double surface_flux(double T) const = 0;
    virtual double surface_flux_derivative(double T) const = 0;
    // Mass fraction of liquid (0 for materials that do not melt).
    virtual double liquid_fraction(double) const { return 0.0; }
  };

  // Constant rho c_p and k; surface loss h (T - T_env). For analytic verification.
  class ConstantThermalMaterial : public ThermalMaterial
  {
  public:
    ConstantThermalMaterial(double rho_cp, double k, double h_surface, double T_env);
    double enthalpy(double T) const override { return rho_cp_ * T; }
    double heat_capacity(double) const override { return rho_cp_; }
    double conductivity(double) const override { return k_; }
    double conductivity_derivative(double) const override { return 0.0; }
    double surface_flux(double T) const override { return h_ * (T - T_env_); }
    double surface_flux_derivative(double) const override { return h_; }

  private:
    double rho_cp_, k_, h_, T_env_;
  };

  // Tungsten (solver/tungsten_properties.h) with latent heat by a smoothed enthalpy step over
  // [T_m, T_m + 2 dT] (C1 "smoothstep"), radiation eps(T) sigma (T^4 - T_env^4) scaled by
  // emissivity_scale (0 switches radiation off), plus an optional linear loss h (T - T_env).
  class TungstenThermalMaterial : public ThermalMaterial
  {
  public:
    struct Options
    {
      double density_kg_per_m3       = 19250.0; // mass per reference volume (293 K)
      double melting_half_width_K    = 10.0;    // dT of the enthalpy smoothing
      double environment_temperature_K = 1473.15;
      double emissivity_scale        = 1.0;
      double surface_heat_transfer_W_per_m2K = 0.0;
      // false: no latent heat (the solid's c_p continues above T_m). Used to find the power at
      // which the peak reaches T_m: identical below T_m, but smooth and monotone above it.
      bool   latent_heat = true;
    };
    explicit TungstenThermalMaterial(const Options &o);
    double enthalpy(double T) const override;
    double heat_capacity(double T) const override;
    double conductivity(double T) const override;
    double conductivity_derivative(double T) const override;
    double surface_flux(double T) const override;
    double surface_flux_derivative(double T) const override;
    double liquid_fraction(double T) const override;

  private:
    double  melting_centre() const;
    Options o_;
  };
} // namespace mpstream::solver
