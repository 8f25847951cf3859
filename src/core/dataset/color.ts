/** ITU-R BT.601 luma weights for RGB -> grey, the ones PIL's convert('L') uses. */
export const LUMA = [0.299, 0.587, 0.114] as const;
