// MAX30102 register map and bit fields, named as in the datasheet (Maxim 19-7740 Rev 1, 10/18,
// "Register Maps and Descriptions" and the register descriptions that follow it).

/** 7-bit I2C address: write address 0xAE, read address 0xAF ("I2C Timing Characteristics"). */
export const I2C_ADDRESS = 0x57

export const REG = {
  INTERRUPT_STATUS_1: 0x00, // A_FULL, PPG_RDY, ALC_OVF, PWR_RDY; cleared by reading it
  INTERRUPT_STATUS_2: 0x01, // DIE_TEMP_RDY; cleared by reading it
  INTERRUPT_ENABLE_1: 0x02,
  INTERRUPT_ENABLE_2: 0x03,
  FIFO_WR_PTR: 0x04, // FIFO_WR_PTR[4:0]
  OVF_COUNTER: 0x05, // OVF_COUNTER[4:0]
  FIFO_RD_PTR: 0x06, // FIFO_RD_PTR[4:0]
  FIFO_DATA: 0x07, // reading it does not advance the register pointer ("FIFO Data Register")
  FIFO_CONFIG: 0x08, // SMP_AVE[2:0] | FIFO_ROLLOVER_EN | FIFO_A_FULL[3:0]
  MODE_CONFIG: 0x09, // SHDN | RESET | MODE[2:0]
  SPO2_CONFIG: 0x0a, // SPO2_ADC_RGE[1:0] | SPO2_SR[2:0] | LED_PW[1:0]
  LED1_PA: 0x0c, // red LED pulse amplitude
  LED2_PA: 0x0d, // IR LED pulse amplitude
  MULTI_LED_CTRL_1: 0x11, // SLOT2 | SLOT1 (multi-LED mode only)
  MULTI_LED_CTRL_2: 0x12, // SLOT4 | SLOT3
  DIE_TINT: 0x1f, // die temperature integer, two's complement, 1 °C
  DIE_TFRAC: 0x20, // die temperature fraction, TFRAC[3:0] × 0.0625 °C
  DIE_TEMP_CONFIG: 0x21, // TEMP_EN: starts one conversion, self-clears
  REV_ID: 0xfe,
  PART_ID: 0xff,
} as const

/** PART_ID register value ("Part ID (0xFF)"). The MAX30100 answers 0x11 at the same address. */
export const PART_ID = 0x15

export const BIT = {
  /** INTERRUPT_STATUS_1: the FIFO has FIFO_A_FULL free slots left. */
  A_FULL: 0x80,
  /** INTERRUPT_STATUS_1: a new sample is in the FIFO. */
  PPG_RDY: 0x40,
  /** INTERRUPT_STATUS_1: ambient light cancellation reached its limit. */
  ALC_OVF: 0x20,
  /** INTERRUPT_STATUS_1: the part powered up (or left an undervoltage lockout). */
  PWR_RDY: 0x01,
  /** INTERRUPT_STATUS_2: a die temperature conversion finished. */
  DIE_TEMP_RDY: 0x02,
  /** FIFO_CONFIG bit 4: when full, overwrite the oldest sample instead of dropping new ones. */
  FIFO_ROLLOVER_EN: 0x10,
  /** MODE_CONFIG bit 7: power-save mode; registers keep their values. */
  SHDN: 0x80,
  /** MODE_CONFIG bit 6: power-on reset of every register; the bit clears itself when done. */
  RESET: 0x40,
} as const

/** MODE_CONFIG MODE[2:0] ("Mode Configuration (0x09)", mode control table). */
export const MODE = {
  HEART_RATE: 0b010, // red LED only
  SPO2: 0b011, // red and IR
  MULTI_LED: 0b111, // slots in MULTI_LED_CTRL_1/2
} as const

/** MODE_CONFIG MODE[2:0] mask. */
export const MODE_MASK = 0b111

/** FIFO geometry ("FIFO Data Register"): 32 samples, 3 bytes per active LED per sample. */
export const FIFO_DEPTH = 32
export const BYTES_PER_LED = 3
/** FIFO_WR_PTR, FIFO_RD_PTR and OVF_COUNTER are 5-bit fields. */
export const POINTER_MASK = 0x1f
/** "OVF_COUNTER counts the number of samples lost. It saturates at 0x1F." */
export const OVF_COUNTER_MAX = 0x1f

/** FIFO_DATA[17:0] in each 3-byte triplet: the ADC's full 18 bits; bits 23:18 are not used. */
export const FIFO_DATA_BITS = 18

/** FIFO_CONFIG SMP_AVE[2:0]: samples averaged (and decimated) per FIFO sample → code. */
export const SMP_AVE_CODE = { 1: 0b000, 2: 0b001, 4: 0b010, 8: 0b011, 16: 0b100, 32: 0b101 } as const

/** SPO2_CONFIG SPO2_SR[2:0]: samples per second → code ("SpO2 Configuration (0x0A)"). */
export const SPO2_SR_CODE = { 50: 0b000, 100: 0b001, 200: 0b010, 400: 0b011, 800: 0b100, 1000: 0b101, 1600: 0b110, 3200: 0b111 } as const

/** SPO2_CONFIG LED_PW[1:0]: LED pulse width, µs → code; the width sets the ADC resolution. */
export const LED_PW_CODE = { 69: 0b00, 118: 0b01, 215: 0b10, 411: 0b11 } as const

/** ADC resolution, bits, for each LED pulse width, µs ("LED Pulse Width Control"): 15, 16, 17, 18. */
export const ADC_RESOLUTION_BITS = { 69: 15, 118: 16, 215: 17, 411: 18 } as const

/** SPO2_CONFIG SPO2_ADC_RGE[1:0]: ADC full scale, nA → code (LSB 7.81, 15.63, 31.25, 62.5 pA at 18 bits). */
export const SPO2_ADC_RGE_CODE = { 2048: 0b00, 4096: 0b01, 8192: 0b10, 16384: 0b11 } as const

/** LEDx_PA: 0x00 = 0.0 mA, 0x01 = 0.2 mA … 0xFF = 50.0 mA (typical; "LED Pulse Amplitude"). */
export const LED_PA_STEP_MA = 0.2
export const LED_PA_MAX_MA = 50

/** Field positions in SPO2_CONFIG and FIFO_CONFIG. */
export const SHIFT = { SPO2_ADC_RGE: 5, SPO2_SR: 2, LED_PW: 0, SMP_AVE: 5, FIFO_A_FULL: 0 } as const
