/** The LAG version written into VCF headers and stored documents. */
export const LAG_VERSION = '0.1.0';
