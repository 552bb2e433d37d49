#include "solver/paper_inputs.h"

#include "data/paper_table1.h" // generated from data/paper_table1.csv (cmake/paper_table1.cmake)

namespace mpstream::solver::paper
{
  ShieldingTable table_1()
  {
    ShieldingTable t;
    using namespace mpstream::paper_table1;
    t.tube_voltage_V.assign(tube_voltage_V.begin(), tube_voltage_V.end());
    t.S_muP.assign(S_muP.begin(), S_muP.end());
    t.S_anode.assign(S_anode.begin(), S_anode.end());
    // ours, not the paper's (the paper prints no bare-anode eta_E): one value per Table 1 row
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
