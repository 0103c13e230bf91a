// The shop demo's scenario: one order moves through the journey (checkout → shipped →
// delivered → returned). Five waypoints; about two minutes at speed 1.
export const shopScenario = {
  name: 'shop-order',
  description: 'An order from checkout to a return.',
  session: 'default',
  steps: [
    { id: 'checkout', at: '0s', waypoint: 'Checkout', narrative: 'The customer checks out.', set: { entity: 'retail/orders/12', changes: { status: 'checked-out' } } },
    { id: 'shipped', at: '30s', waypoint: 'Shipped', narrative: 'The parcel leaves the warehouse.', set: { entity: 'retail/orders/12', changes: { status: 'shipped' } } },
    { id: 'delivered', at: '60s', waypoint: 'Delivered', narrative: 'The parcel is delivered.', set: { entity: 'retail/orders/12', changes: { status: 'delivered' } } },
    { id: 'review', after: 'delivered', delay: '15s', waypoint: 'Review', narrative: 'The customer leaves a review.', emit: { type: 'shop.reviewed', data: { order: '12' } } },
    { id: 'returned', at: '110s', waypoint: 'Return', narrative: 'One item goes back.', set: { entity: 'retail/orders/12', changes: { status: 'returned' } } },
  ],
} as const;
