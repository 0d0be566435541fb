// Types for report.mjs (the parts used outside bench/).

export interface Machine {
  node: string;
  platform: string;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
}
export declare function machine(): Machine;
