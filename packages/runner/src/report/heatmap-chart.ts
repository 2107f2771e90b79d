/** A matrix as coloured cells: the confusion matrix (counts) and where a gradient check's errors lie. */
import { CONFIG } from "./chart-style.js";
import type { ChartSpec } from "./vega-render.js";

export interface HeatmapCell {
  row: number;
  col: number;
  value: number;
}

export interface HeatmapOptions {
  title: string;
  rowTitle: string;
  colTitle: string;
  valueTitle: string;
  /** Log colour scale (errors spanning decades); default linear from 0 (counts). */
  logColor?: boolean;
  /** Write each cell's value in it (small matrices). */
  labels?: boolean;
  /** Colour scheme (default blues). */
  scheme?: "blues" | "viridis" | "orangered";
}

const CELL = 22;

/** Layer "cells": one rect per cell given (cells without a value are simply absent). */
export function heatmapSpec(cells: readonly HeatmapCell[], options: HeatmapOptions): ChartSpec {
  const rows = Math.max(0, ...cells.map((c) => c.row + 1));
  const cols = Math.max(0, ...cells.map((c) => c.col + 1));
  const size = (n: number): number => Math.max(120, Math.min(480, n * CELL));
  const axis = (title: string) => ({ type: "ordinal", title, axis: { labelAngle: 0, labelOverlap: true } }) as const;
  return {
    title: options.title,
    width: size(cols),
    height: size(rows),
    config: CONFIG,
    data: { values: [...cells] },
    encoding: { x: { field: "col", ...axis(options.colTitle) }, y: { field: "row", ...axis(options.rowTitle) } },
    layer: [
      {
        name: "cells",
        mark: { type: "rect", tooltip: true },
        encoding: {
          color: {
            field: "value", type: "quantitative", title: options.valueTitle,
            scale: options.logColor === true ? { type: "log", scheme: options.scheme ?? "blues" } : { scheme: options.scheme ?? "blues", zero: true },
          },
        },
      },
      ...(options.labels === true
        ? [{ mark: { type: "text", fontSize: 10 }, encoding: { text: { field: "value", type: "quantitative" } } } as const]
        : []),
    ],
  };
}
