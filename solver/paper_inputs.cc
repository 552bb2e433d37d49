#include "solver/paper_inputs.h"

namespace mpstream::solver::paper
{
  ShieldingTable table_1()
  {
    ShieldingTable t;
    t.tube_voltage_V = {30e3, 80e3, 100e3, 120e3, 150e3, 200e3, 250e3, 300e3};
    t.S_muP          = {0.566, 0.533, 0.449, 0.366, 0.213, 0.143, 0.095, 0.067};
    t.S_anode        = {0.119, 0.137, 0.208, 0.282, 0.426, 0.489, 0.502, 0.477};
    t.one_minus_etaE_bare_anode = {0.639, 0.628, 0.626, 0.623, 0.621, 0.617, 0.615, 0.613};
    return t;
  }

  namespace
  {
    StreamParameters stream(double velocity_m_per_s, double entry_temperature_K, bool melting)
    {
      StreamParameters p; // defaults: the 0.3 focal spot, 5 um spheres, 19250 kg/m^3, 25 kW
      p.operating_point.stream_speed = velocity_m_per_s;
      p.entry_temperature_K = entry_temperature_K;
      p.melting_allowed     = melting;
      return p;
    }
  } // namespace

  StreamParameters fig9a(bool melting) { return stream(100.0, 800.0 + 273.15, melting); }
  StreamParameters fig9b(bool melting) { return stream(400.0, 100.0 + 273.15, melting); }
  StreamParameters fig9c(bool melting) { return stream(1000.0, 100.0 + 273.15, melting); }
} // namespace mpstream::solver::paper
