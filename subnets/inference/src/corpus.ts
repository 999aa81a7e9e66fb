// The small corpus validators compose task texts from. Every template carries at least one slot
// the model recognises as an entity (money, date, time, percent, count, duration, ordinal), and
// the slot values are drawn from wide numeric ranges, so the texts are fresh each time.

/** Sentence templates; `{slot}` marks are filled by the task generator. */
export const TEMPLATES: readonly string[] = [
  '{name} from {org} paid {money} in {place} on {date}.',
  'The team at {org} met at {time} in {place}, and revenue rose {percent}.',
  '{name} waited {duration} at the {place} office of {org}.',
  '{name} shipped {count} parcels to {place} for {org} on {date}.',
  '{org} opened its {ordinal} store in {place} at {time}.',
  'In {place}, {name} signed a deal worth {money} with {org}.',
  'Sales at {org} fell {percent} after {duration} of delays.',
  '{name} finished {ordinal} among {count} drivers in {place}.',
  'On {date}, {org} hired {count} engineers in {place}.',
  '{name} booked a flight to {place} for {time} on {date}.',
  'The {place} branch of {org} spent {money} on {count} new laptops.',
  '{name} and {name2} spent {duration} in {place} reviewing the {org} contract.',
];

/** People. */
export const NAMES: readonly string[] = [
  'Maria Lopez',
  'Chen Wei',
  'Ravi Kumar',
  'Amara Okafor',
  'John Smith',
  'Yuki Tanaka',
  'Fatima Zahra',
  'Lars Nilsson',
  'Sofia Rossi',
  'Kwame Mensah',
  'Elena Petrova',
  'Diego Alvarez',
  'Aisha Rahman',
  'Tom Becker',
  'Hannah Cohen',
  'Priya Nair',
];

/** Places. */
export const PLACES: readonly string[] = [
  'Lisbon',
  'Oslo',
  'Berlin',
  'Nairobi',
  'Madrid',
  'Toronto',
  'Osaka',
  'Lagos',
  'Santiago',
  'Melbourne',
  'Warsaw',
  'Chennai',
  'Denver',
  'Istanbul',
  'Hanoi',
  'Dublin',
];

/** Organisations. */
export const ORGANISATIONS: readonly string[] = [
  'Northwind Labs',
  'Globex',
  'Initech',
  'Umbrella Corp',
  'Acme Corp',
  'Blue Harbor Bank',
  'Greenfield Energy',
  'Kestrel Robotics',
  'Orion Logistics',
  'Silverline Media',
  'Redwood Foods',
  'Polaris Health',
];

/** Sentences with a clear positive or negative tone. */
export const SENTIMENT_PHRASES: readonly string[] = [
  'It was an excellent experience.',
  'Everyone was thrilled with the outcome.',
  'What a fantastic result!',
  'The staff were friendly and helpful.',
  'I am very happy with the service.',
  'The whole thing was a pleasant surprise.',
  'It was a disappointing mess.',
  'The delivery was terrible.',
  'Customers were angry and upset.',
  'Sadly, the product broke within a week.',
  'That was an awful decision.',
  'The meeting was boring and useless.',
];

/** Month names for dates. */
export const MONTHS: readonly string[] = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Units for durations. */
export const DURATION_UNITS: readonly string[] = ['minutes', 'hours', 'days', 'weeks'];
