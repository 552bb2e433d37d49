#pragma once
// The paper's input data for the power limits (Behling et al., Instruments 8 (2024) 32): its
// Table 1 with our bare-anode 1 - eta_E estimate, and the Fig. 9 stream cases. Input data, not
// answers; Table 1 itself comes from data/paper_table1.csv (the one copy; generated header), for the
// tests, the benchmark and the Power limits defaults (app/scenario.h; inputs/fig9*.prm repeat them as text).
#include "solver/power_limits.h"

namespace mpstream::solver::paper
{
  // Table 1: U, S_muP, S_anode; bare W anode 1 - eta_E: Hunger & Kuechler (1979) eta(Z = 74, E)
  // times a mean backscattered-energy fraction 0.75 (ours; doc/thermal.md).
  ShieldingTable table_1();

  // Fig. 9 stream cases (W_CS 450 um, L_CS 4670 um, r = 2.5 um, rho_W 19250 kg/m^3):
  // 9a rotor, 100 m/s, entering at 800 C; 9b / 9c auxiliary drive, 400 / 1000 m/s, 100 C.
  StreamParameters fig9a(bool melting_allowed);
  StreamParameters fig9b(bool melting_allowed);
  StreamParameters fig9c(bool melting_allowed);
} // namespace mpstream::solver::paper
