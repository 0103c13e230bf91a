// eureka-js-client ships no types; the tests use it untyped.
declare module 'eureka-js-client';
