import * as z from 'zod'

/**
 * Board-file settings of an MPU-6050 (`"settings": {…}` on the device). Every field is optional.
 * - accelFullScaleG: ±2/4/8/16 g (AFS_SEL, register map §4.5); default ±2 g, the finest.
 * - gyroFullScaleDps: ±250/500/1000/2000 °/s (FS_SEL, §4.4); default ±250 °/s, the finest.
 * - dlpfConfig: DLPF_CFG 0..6 (§4.3; 7 is reserved). 0, the reset value, is 260 Hz accelerometer
 *   bandwidth; higher values filter harder (6: 5 Hz) and delay the signal more (up to ~19 ms).
 * - sampleRateDivider: SMPLRT_DIV 0..255 (§4.2): the chip updates its output registers at
 *   gyroscope output rate (8 kHz with DLPF_CFG 0, else 1 kHz) / (1 + divider).
 */
export const mpu6050Settings = z.strictObject({
  accelFullScaleG: z.literal([2, 4, 8, 16]).default(2),
  gyroFullScaleDps: z.literal([250, 500, 1000, 2000]).default(250),
  dlpfConfig: z.number().int().min(0).max(6).default(0),
  sampleRateDivider: z.number().int().min(0).max(255).default(0),
})

export type Mpu6050Settings = z.output<typeof mpu6050Settings>

/** Settings with defaults filled in; a value the schema refuses throws RangeError naming it. */
export function resolveMpu6050Settings(input: Partial<Mpu6050Settings> = {}): Mpu6050Settings {
  const parsed = mpu6050Settings.safeParse(input)
  if (!parsed.success) {
    throw new RangeError(`mpu6050 settings: ${parsed.error.issues.map(issue => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`)
  }
  return parsed.data
}
