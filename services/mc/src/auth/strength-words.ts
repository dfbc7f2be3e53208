/**
 * The estimator's dictionary, most common first (a word's rank is its guess count):
 * the most used passwords, keyboard walks, names and words people build passwords from,
 * and this product's own words. Far smaller than zxcvbn's lists, so words missing here
 * are priced as brute force, which is the estimator's known leniency.
 */
export const COMMON_WORDS: readonly string[] = `
password 123456 12345678 qwerty 123456789 12345 1234 111111 1234567 dragon 123123 baseball
abc123 football monkey letmein 696969 shadow master 666666 qwertyuiop 123321 mustang
1234567890 michael 654321 superman 1qaz2wsx 7777777 121212 000000 qazwsx 123qwe killer
trustno1 jordan jennifer zxcvbnm asdfgh hunter buster soccer harley batman andrew tigger
sunshine iloveyou 2000 charlie robert thomas hockey ranger daniel starwars klaster 112233
george computer michelle jessica pepper 1111 zxcvbn 555555 11111111 131313 freedom 777777
pass maggie 159753 aaaaaa ginger princess joshua cheese amanda summer love ashley nicole
chelsea biteme matthew access yankees 987654321 dallas austin thunder taylor matrix
william corvette hello martin heather secret merlin diamond 1234qwer gfhjkm hammer silver
222222 88888888 anthony justin test bailey q1w2e3r4t5 patrick internet scooter orange
11111 golfer cookie richard samantha bigdog guitar jackson whatever mickey chicken sparky
snoopy maverick phoenix camaro peanut morgan welcome falcon cowboy ferrari samsung andrea
smokey steelers joseph mercedes dakota arsenal eagles melissa boomer booboo spider nascar
monster tigers yellow xxxxxx 123123123 gateway marina diablo bulldog qwer1234 compaq
purple hardcore banana junior hannah 123654 porsche lakers iceman money cowboys 987654
london tennis 999999 ncc1701 coffee scooby 0000 miller boston q1w2e3r4 brandon yamaha
chester mother forever johnny edward 333333 oliver redsox player nikita knight fender
barney midnight please brandy chicago badboy slayer rangers charles angel flower bigdaddy
rabbit wizard bigdick jasper enter rachel chris steven winner adidas victoria natasha
1q2w3e4r jasmine winter prince panties marine ghbdtn fishing cocacola casper james
232323 raiders 888888 marlboro gandalf asdfasdf crystal 87654321 12344321 golden 8675309
admin administrator root user guest login changeme default system manager operator
developer support service server network cloud edge mobile mobiledgex demo sample
example company office account temp temporary secure security private public master1
asdf zxcv qwer asdfghjkl zaq12wsx 1q2w3e qazwsxedc abcd abcdef abcdefg
spring autumn fall january february march april may june july august september october
november december monday tuesday wednesday thursday friday saturday sunday
alpha beta gamma delta test1 testing tester hello1 welcome1 password1 passw0rd pa55word
`
  .split(/\s+/)
  .filter((w) => w !== '');
