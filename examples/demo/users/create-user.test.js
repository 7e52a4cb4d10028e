pm.test('created', () => pm.expect(pm.response.code).to.be.oneOf([200, 201]));
