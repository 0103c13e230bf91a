// What every shape compiles to: a pure rate function of the pattern's time.
/**
 * Requests/s at `t` seconds after the pattern started; `clock` is the kernel clock in
 * seconds since the Unix epoch (the diurnal cycle follows the time of day). Pure: the
 * same arguments give the same rate.
 */
export type RateFn = (t: number, clock: number) => number;
