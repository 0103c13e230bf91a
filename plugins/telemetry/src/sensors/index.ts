// Every sensor model by name.
import type { SensorInfo, SensorName } from '../contract.js';
import { battery } from './battery.js';
import { co2 } from './co2.js';
import { gps } from './gps.js';
import { humidity } from './humidity.js';
import type { SensorModel } from './model.js';
import { motion } from './motion.js';
import { pressure } from './pressure.js';
import { temperature } from './temperature.js';
import { vibration } from './vibration.js';

export const MODELS: Record<SensorName, SensorModel<any, any>> = { temperature, humidity, motion, pressure, co2, battery, gps, vibration };
export const SENSOR_NAMES = Object.keys(MODELS) as SensorName[];

export function isSensorName(name: string): name is SensorName {
  return Object.hasOwn(MODELS, name);
}

export function sensorInfo(): SensorInfo[] {
  return SENSOR_NAMES.map((name) => ({ name, unit: MODELS[name].unit, description: MODELS[name].description, params: { ...MODELS[name].defaults } }));
}

export { battery, co2, gps, humidity, motion, pressure, temperature, vibration };
export { defineModel, type SensorModel, type Params } from './model.js';
