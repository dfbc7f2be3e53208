export { rejection } from '@edge/testing';
