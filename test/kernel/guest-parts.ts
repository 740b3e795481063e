/** The parts the guest runs, each in its own worker thread, in this order (guest-main.ts). */
export const GUEST_PARTS = ['contracts', 'second-thread'] as const
export type GuestPart = (typeof GUEST_PARTS)[number]
