#!/usr/bin/python3
"""Fig. 12-like plots of the charging stage (Behling et al. 2024, Sect. 3.3).

Usage: /usr/bin/python3 postprocess/plot_charging.py RESULTS_DIR [--out DIR]

  charging_profile.csv  -> charging_fig12.png    ΔU(h) and |E|(h) on the anode normal through the
                           probe sphere: (a) backscatter only, (b) after discharge (the run's mode)
  charging_section.csv  -> charging_section.png  maps of ΔU and |E| in the section y = y_probe,
                           both states; spheres drawn round (outlines from charging_spheres.csv),
                           the anode and the auxiliary electrodes labelled
  charging_sweep.csv    -> charging_sweep.png    (Charging/Sweep ...) |ΔU| against U_tube, or the
                           stream against the electrode potential
The section samples (Charging/Cross-section points along x) are bilinearly interpolated onto a
grid 6 times finer in the vacuum only; the spheres (equipotential conductors) are painted as
discs in their own potential, so no pixel straddles a sphere surface.
"""
import math

import numpy as np
from matplotlib.patches import Circle, Rectangle
from scipy import ndimage

import mpstream_results as mr
import mpstream_style as st

STATES = [("_backscatter_only", "backscatter only"), ("", "after discharge")]
UPSAMPLE = 6


def mode_name(r):
    return r.get("charging.charging_mode", "discharged")


def plot_fig12(r, out):
    p = r.table("charging_profile")
    h = p["z_m"] * st.UM
    fig, ax = st.figure(2, 2, width=10, height=6.4, sharex=True)
    for col, (suffix, state) in enumerate(STATES):
        ax[0, col].plot(h, p["potential" + suffix + "_V"] * st.KV, color="tab:blue", label="ΔU, " + state)
        ax[1, col].plot(h, p["E" + suffix + "_V_per_m"] * st.MV_PER_MM, color="tab:red", label="|E|, " + state)
        ax[0, col].set_title(state if col == 0 else f"after discharge (Charging mode: {mode_name(r)})")
        ax[1, col].set_xlabel("height above the anode h (µm)")
    cap = mr.paper_value("field_cap_V_per_m") * st.MV_PER_MM
    ax[1, 1].axhline(cap, color="k", ls="--", lw=0.8, label=f"paper's field cap {cap:g} MV/mm")
    for row, label in ((0, "stream potential ΔU (kV)"), (1, "field |E| (MV/mm)")):
        ax[row, 0].set_ylabel(label)
    for a in ax.flat:
        a.legend()
    fig.suptitle("Fig. 12-like: potential and field on the anode normal through the probe sphere")
    st.label_panels(ax)
    return [st.save(fig, out / "charging_fig12.png")]


def section_grid(s):
    x, z = s["x_m"], s["z_m"]
    nx = int(np.sum(np.isclose(z, z[0])))
    shape = (len(x) // nx, nx)
    return x.reshape(shape)[0], z.reshape(shape)[:, 0], shape


def vacuum_upsampled(values, vacuum):
    """Bilinear upsampling of the vacuum samples; non-vacuum samples take their nearest vacuum value first."""
    filled = values.copy()
    if (~vacuum).any() and vacuum.any():
        idx = ndimage.distance_transform_edt(~vacuum, return_distances=False, return_indices=True)
        filled = values[tuple(idx)]
    return ndimage.zoom(filled, UPSAMPLE, order=1)


def section_circles(spheres, y0):
    """(x, z, radius in the section, sphere potential by state) of every sphere the plane y = y0 cuts."""
    out = []
    for i in range(len(spheres)):
        dy = spheres["y_m"][i] - y0
        R = spheres["radius_m"][i]
        if abs(dy) < R:
            out.append((spheres["x_m"][i], spheres["z_m"][i], math.sqrt(R * R - dy * dy), i))
    return out


def electrode_rectangles(r, spheres):
    """Frames of a finite patch cut by the section: (x0, z0, width, height, layer) in m."""
    prm = r.parameters()
    if (prm.get("Geometry/Lateral boundary", "finite patch") != "finite patch"
            or prm.get("Auxiliary electrodes/Enabled", "true") != "true"
            or prm.get("Auxiliary electrodes/Shape", "frames") != "frames"
            or not r.has("charging_electrodes")):
        return []
    gap = float(prm["Auxiliary electrodes/Gap [m]"])
    width = float(prm["Auxiliary electrodes/Width [m]"])
    thick = float(prm["Auxiliary electrodes/Thickness [m]"])
    x_lo = np.min(spheres["x_m"] - spheres["radius_m"]) - gap
    x_hi = np.max(spheres["x_m"] + spheres["radius_m"]) + gap
    e = r.table("charging_electrodes")
    rects = []
    for layer, z in zip(e["layer"], e["z_m"]):
        for x0 in (x_lo - width, x_hi):
            rects.append((x0, z - thick / 2, width, thick, int(layer)))
    return rects


def plot_section(r, out):
    s = r.table("charging_section")
    spheres = r.table("charging_spheres")
    xs, zs, shape = section_grid(s)
    vacuum = np.array([reg == "vacuum" for reg in s["region"]]).reshape(shape)
    y0 = s["y_m"][0]
    circles = section_circles(spheres, y0)
    rects = electrode_rectangles(r, spheres)
    top = max((z + rc for _, z, rc, _ in circles), default=zs[-1]) + 2 * np.median(spheres["radius_m"])
    top = min(top, zs[-1])
    rows = zs <= top + (zs[1] - zs[0])
    extent = [xs[0] * st.UM, xs[-1] * st.UM, zs[0] * st.UM, zs[rows][-1] * st.UM]
    aspect = (extent[3] - extent[2]) / (extent[1] - extent[0])
    fig, ax = st.figure(2, 2, width=10, height=min(9, 1.2 + 2 * 4.2 * aspect + 1.0), sharex=True, sharey=True)
    for row, (suffix, state) in enumerate(STATES):
        U = s["potential" + suffix + "_V"].reshape(shape)[rows] * st.KV
        E = s["E" + suffix + "_V_per_m"].reshape(shape)[rows] * st.MV_PER_MM
        sphere_U = spheres["potential" + suffix + "_V"] * st.KV
        vac = vacuum[rows]
        for col, (values, cmap, label) in enumerate(((U, "viridis", "ΔU (kV)"), (E, "inferno", "|E| (MV/mm)"))):
            a = ax[row, col]
            fine = vacuum_upsampled(values, vac)
            lo = min(np.nanmin(values[vac]), sphere_U.min()) if col == 0 else 0.0
            hi = max(np.nanmax(values[vac]), sphere_U.max()) if col == 0 else np.nanmax(values[vac])
            im = a.imshow(fine, origin="lower", extent=extent, cmap=cmap, vmin=lo, vmax=hi,
                          interpolation="bilinear", aspect="equal")
            fig.colorbar(im, ax=a, label=label, shrink=0.9)
            for x, z, rc, i in circles:
                face = im.cmap(im.norm(sphere_U[i])) if col == 0 else "lightgrey"
                a.add_patch(Circle((x * st.UM, z * st.UM), rc * st.UM, facecolor=face, edgecolor="w", lw=0.7))
            for x0, z0, w, hgt, layer in rects:
                a.add_patch(Rectangle((x0 * st.UM, z0 * st.UM), w * st.UM, hgt * st.UM, facecolor="silver",
                                      edgecolor="k", lw=0.6, hatch="//"))
                if col == 0 and x0 < 0:
                    a.annotate(f"electrode L{layer}", ((x0 + w) * st.UM, (z0 + hgt) * st.UM), fontsize=6.5,
                               color="w", xytext=(2, 2), textcoords="offset points")
            a.text(0.5, 0.01, "anode (0 V) below z = 0", transform=a.transAxes, ha="center", va="bottom",
                   fontsize=6.5, color="w")
            a.set_xlim(extent[0], extent[1])
            a.set_ylim(extent[2], extent[3])
            a.set_title(f"{label.split(' ')[0]}, {state}")
            a.grid(False)
    for a in ax[1]:
        a.set_xlabel("x (µm)")
    for a in ax[:, 0]:
        a.set_ylabel("height above the anode z (µm)")
    fig.suptitle(f"Section y = {y0 * st.UM:.2f} µm through the probe sphere (grey discs: spheres, E = 0 inside)")
    st.label_panels(ax)
    return [st.save(fig, out / "charging_section.png")]


def plot_sweep(r, out):
    w = r.table("charging_sweep")
    fig, ax = st.figure(width=6.5, height=4.5)
    ax = ax[0, 0]
    mode = w["mode"][0]  # Charging/Mode of the run: the same for every row
    if np.all(np.isnan(w["electrode_potential_V"])):
        U = w["tube_voltage_V"] * st.KV
        ax.plot(U, -w["backscatter_only_potential_min_V"] * st.KV, "o-", label="backscatter only")
        ax.plot(U, -w["potential_min_V"] * st.KV, "s-", label=f"{mode} (most negative sphere)")
        ax.plot(U, U, ":", color="gray", label="|ΔU| = U_tube")
        ax.set_xlabel("tube voltage U_tube (kV)")
        ax.set_ylabel("|ΔU| of the most negative sphere (kV)")
        ax.set_yscale("log")
        ax.set_title(f"Stream potential against tube voltage ({w['input_power_W'][0] * st.KW:g} kW)")
    else:
        V = w["electrode_potential_V"] * st.KV
        ax.plot(V, w["probe_backscatter_only_V"] * st.KV, "o-", label="backscatter only, probe sphere")
        ax.plot(V, w["probe_V"] * st.KV, "s-", label=f"{mode}, probe sphere")
        ax.plot(V, w["potential_min_V"] * st.KV, "^--", label=f"{mode}, most negative sphere")
        ax.plot(V, V, ":", color="gray", label="sphere = electrode potential")
        ax.set_xlabel("electrode potential (kV)")
        ax.set_ylabel("sphere potential (kV)")
        ax.set_title("Free-space stream beside an auxiliary electrode")
    ax.legend()
    return [st.save(fig, out / "charging_sweep.png")]


def plot(r, out):
    written = []
    if r.has("charging_profile"):
        written += plot_fig12(r, out)
    if r.has("charging_section") and r.has("charging_spheres"):
        written += plot_section(r, out)
    if r.has("charging_sweep"):
        written += plot_sweep(r, out)
    return written


def main():
    results_dir, out = st.command_line(__doc__)
    plot(mr.load(results_dir), out)


if __name__ == "__main__":
    main()
