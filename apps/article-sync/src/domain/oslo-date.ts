const OSLO_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Oslo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The business date (YYYY-MM-DD, Europe/Oslo) of an instant: the day whose VAT rate a price uses. */
export function osloDate(at: Date): string {
  return OSLO_DATE.format(at);
}
