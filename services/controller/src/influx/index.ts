export {
  createControllerInflux,
  type ControllerInflux,
  type ControllerInfluxOptions,
} from './controller-influx';
export { InfluxWriter, type InfluxWriterOptions, type InfluxWriterStats } from './influx-writer';
export { OwnWrites, trackOwnWrites } from './own-writes';
